import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { AppendResult } from "../../../durable-objects/session-room.ts";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { sessionScreenshots } from "../../../shared/db/schema/sessions.ts";
import { newId } from "../../../shared/ids.ts";
import { screenshotPath } from "../../../shared/sessions/export.ts";
import { screenshotKey } from "../../../shared/sessions/repository.ts";
import {
  ACCEPTED_UPLOAD_TYPES,
  MAX_SCREENSHOT_BYTES,
  sniffImageType,
} from "../../../shared/sessions/screenshots.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireActive, requireSession, roomActorOf, roomErrorToApi, roomOf, tags } from "./access.ts";
import { sessionParams } from "./sessions.ts";

const screenshotSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    contentType: z.enum(["image/png", "image/jpeg"]),
    size: z.number().int(),
    seq: z.number().int(),
  })
  .openapi("Screenshot");

const shotParams = sessionParams.extend(idParam("shotId", "shot").shape);
const binary = { schema: z.string().openapi({ format: "binary" }) };

export function registerSessionScreenshotRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/sessions/{sessionId}/screenshots",
      bodyLimitBytes: 10 * 1024 * 1024,
      bodyTypes: "any",
      errors: [409, 413, 415],
      tags,
      summary: "Upload a screenshot (raw PNG or JPEG body, ≤ 10 MiB); it also becomes a timeline event",
      description:
        "The type is decided by the file's magic bytes, not by Content-Type (which must be image/png, image/jpeg " +
        "or application/octet-stream). The room broadcasts a `screenshot` event with {screenshotId, url, " +
        "contentType, size, caption?}. `?caption=` adds a caption.",
      permission: "sessions:write",
      request: {
        params: sessionParams,
        query: z.object({ caption: z.string().trim().min(1).max(500).optional() }),
        body: { required: true, content: { "image/png": binary, "image/jpeg": binary } },
      },
      responses: {
        201: jsonContent(screenshotSchema, "The stored screenshot"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const { sessionId } = c.req.valid("param");
      const { caption } = c.req.valid("query");
      const declared = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (!ACCEPTED_UPLOAD_TYPES.has(declared)) {
        throw new ApiError("unsupported_media_type", "Send the image as image/png or image/jpeg");
      }
      const session = await requireSession(c, sessionId);
      requireActive(session);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength === 0) throw new ApiError("bad_request", "The body is empty");
      if (bytes.byteLength > MAX_SCREENSHOT_BYTES) {
        throw new ApiError("payload_too_large", `Screenshots are limited to ${MAX_SCREENSHOT_BYTES} bytes`);
      }
      const contentType = sniffImageType(bytes);
      if (!contentType) throw new ApiError("unsupported_media_type", "The body is not a PNG or JPEG image");

      const now = Date.now();
      const id = newId("shot", now);
      const key = screenshotKey(orgId, sessionId, id, contentType);
      const actor = await roomActorOf(c, session);
      await c.get("services").artifacts.put(key, bytes, {
        httpMetadata: { contentType },
        customMetadata: { orgId, sessionId, uploadedBy: actor.id },
      });
      try {
        await auditedBatch(
          db,
          orgId,
          auditContext(c),
          {
            action: "session.screenshot.upload",
            targetType: "screenshot",
            targetId: id,
            changes: { sessionId, contentType, size: bytes.byteLength },
          },
          () => [
            db.insert(sessionScreenshots).values({
              id,
              orgId,
              sessionId,
              r2Key: key,
              contentType,
              size: bytes.byteLength,
              createdBy: actor.id,
              createdAt: now,
            }),
          ],
        );
      } catch (error) {
        await c
          .get("services")
          .artifacts.delete(key)
          .catch(() => undefined);
        throw error;
      }
      const url = screenshotPath(sessionId, id);
      const { stub, info } = roomOf(c.env, session);
      const result = (await stub.appendSystemEvent(info, actor, "screenshot", {
        screenshotId: id,
        url,
        contentType,
        size: bytes.byteLength,
        ...(caption ? { caption } : {}),
      })) as AppendResult;
      if (!result.ok) throw roomErrorToApi(result.code, result.message);
      return c.json({ id, url, contentType, size: bytes.byteLength, seq: result.event.seq }, 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/sessions/{sessionId}/screenshots/{shotId}",
      tags,
      summary: "Download a screenshot (streams the image; needs the bearer token)",
      permission: "sessions:read",
      request: { params: shotParams },
      responses: {
        200: { description: "The image", content: { "image/png": binary, "image/jpeg": binary } },
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { sessionId, shotId } = c.req.valid("param");
      await requireSession(c, sessionId);
      const rows = await c
        .get("services")
        .db.select()
        .from(sessionScreenshots)
        .where(
          and(
            eq(sessionScreenshots.orgId, orgId),
            eq(sessionScreenshots.sessionId, sessionId),
            eq(sessionScreenshots.id, shotId),
          ),
        )
        .limit(1);
      const row = rows[0];
      if (!row) throw notFound("Screenshot");
      const object = await c.get("services").artifacts.get(row.r2Key);
      if (!object) throw notFound("Screenshot");
      return new Response(object.body, {
        status: 200,
        headers: {
          "content-type": row.contentType,
          "content-length": String(row.size),
          "cache-control": "private, max-age=3600",
          "content-disposition": `inline; filename="${row.id}.${row.contentType === "image/png" ? "png" : "jpg"}"`,
          etag: object.httpEtag,
        },
      });
    },
  );
}
