import { type RouteHandler, z } from "@hono/zod-openapi";
import { exportQuery } from "../../../shared/contract/sessions.ts";
import { exportSession } from "../../../shared/sessions/bundle.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import type { Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { sessionLinks } from "./links.ts";
import { sessionParams, tags } from "./params.ts";

const exportRoute = defineRoute({
  method: "get",
  path: "/sessions/{sessionId}/export",
  tags,
  summary: "Export a session as Markdown or JSON (session, participants, findings, timeline, screenshots)",
  permission: "sessions:read",
  request: { params: sessionParams, query: exportQuery },
  responses: {
    200: {
      description: "The export",
      content: {
        "application/json": { schema: z.object({}).passthrough() },
        "text/markdown": { schema: z.string() },
      },
    },
  },
});

const exportHandler: RouteHandler<typeof exportRoute, HonoEnv> = async (c) => {
  const { db, config } = c.get("services");
  const { sessionId } = c.req.valid("param");
  const out = await exportSession(
    db,
    orgIdOf(c),
    sessionId,
    c.req.valid("query").format,
    sessionLinks(config.publicUrl),
  );
  return c.body(out.body, 200, {
    "content-type": out.contentType,
    "content-disposition": `attachment; filename="${out.filename}"`,
  });
};

export function registerSessionExportRoutes(app: Router) {
  app.openapi(exportRoute, exportHandler);
}
