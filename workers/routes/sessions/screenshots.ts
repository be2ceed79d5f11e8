import { z } from "@hono/zod-openapi";
import { screenshotQuery, screenshotSchema } from "../../../shared/contract/sessions.ts";
import {
  readScreenshot,
  requireUploadType,
  screenshotFileName,
  screenshotTypeOf,
  uploadScreenshot,
} from "../../../shared/sessions/screenshots.ts";
import { requireActiveSession } from "../../../shared/sessions/service.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { sessionLinks } from "./links.ts";
import { sessionParams, shotParams, tags } from "./params.ts";
import { roomActorOf, roomsOf } from "./room-access.ts";

const sessions = routeGroup({ tags });

const binary = { schema: z.string().openapi({ format: "binary" }) };

const uploadRoute = sessions.post("/sessions/{sessionId}/screenshots", {
  bodyLimitBytes: 10 * 1024 * 1024,
  bodyTypes: "any",
  errors: [409, 413, 415],
  summary: "Upload a screenshot (raw PNG or JPEG body, ≤ 10 MiB); it also becomes a timeline event",
  description:
    "The type is decided by the file's magic bytes, not by Content-Type (which must be image/png, image/jpeg " +
    "or application/octet-stream). The room broadcasts a `screenshot` event with {screenshotId, url, " +
    "contentType, size, caption?}. `?caption=` adds a caption.",
  permission: "sessions:write",
  request: {
    params: sessionParams,
    query: screenshotQuery,
    body: { required: true, content: { "image/png": binary, "image/jpeg": binary } },
  },
  responses: { 201: jsonContent(screenshotSchema, "The stored screenshot") },
});

sessions.handle(uploadRoute, async function uploadHandler(c) {
  const { db, artifacts, config } = c.get("services");
  requireUploadType((c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase());
  const session = await requireActiveSession(db, orgIdOf(c), c.req.valid("param").sessionId);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const contentType = screenshotTypeOf(bytes);
  const actor = await roomActorOf(c, session);
  const { caption } = c.req.valid("query");
  const shot = await uploadScreenshot(db, artifacts, roomsOf(c), {
    session,
    actor,
    audit: auditContext(c),
    contentType,
    bytes,
    caption,
    links: sessionLinks(config.publicUrl),
  });
  return c.json(shot, 201);
});

const downloadRoute = sessions.get("/sessions/{sessionId}/screenshots/{shotId}", {
  summary: "Download a screenshot (streams the image; needs the bearer token)",
  permission: "sessions:read",
  request: { params: shotParams },
  responses: { 200: { description: "The image", content: { "image/png": binary, "image/jpeg": binary } } },
});

sessions.handle(downloadRoute, async function downloadHandler(c) {
  const { db, artifacts } = c.get("services");
  const { sessionId, shotId } = c.req.valid("param");
  const { row, object } = await readScreenshot(db, artifacts, orgIdOf(c), sessionId, shotId);
  return new Response(object.body, {
    status: 200,
    headers: {
      "content-type": row.contentType,
      "content-length": String(row.size),
      "cache-control": "private, max-age=3600",
      "content-disposition": `inline; filename="${screenshotFileName(row)}"`,
      etag: object.httpEtag,
    },
  });
});

export const registerSessionScreenshotRoutes = (app: Router) => sessions.register(app);
