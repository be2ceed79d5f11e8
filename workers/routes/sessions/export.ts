import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type SessionBundle, toJsonExport, toMarkdownExport } from "../../../shared/sessions/export.ts";
import {
  allEvents,
  listFindings,
  listParticipants,
  listScreenshots,
  type SessionRow,
} from "../../../shared/sessions/repository.ts";
import type { HonoEnv } from "../../hono-env.ts";
import type { Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { requireSession, tags } from "./access.ts";
import { sessionParams } from "./sessions.ts";

/** Everything about a session (org-scoped reads), for exports and Jira issues. */
export async function loadBundle(c: Context<HonoEnv>, session: SessionRow): Promise<SessionBundle> {
  const { db, config } = c.get("services");
  const [participants, events, findings, screenshots] = await Promise.all([
    listParticipants(db, session.orgId, session.id),
    allEvents(db, session.orgId, session.id),
    listFindings(db, session.orgId, session.id),
    listScreenshots(db, session.orgId, session.id),
  ]);
  return {
    session,
    participants,
    events,
    findings,
    screenshots,
    origin: config.publicUrl.replace(/\/+$/, ""),
  };
}

export function registerSessionExportRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/sessions/{sessionId}/export",
      tags,
      summary:
        "Export a session as Markdown or JSON (session, participants, findings, timeline, screenshots)",
      permission: "sessions:read",
      request: { params: sessionParams, query: z.object({ format: z.enum(["md", "json"]).default("json") }) },
      responses: {
        200: {
          description: "The export",
          content: {
            "application/json": { schema: z.object({}).passthrough() },
            "text/markdown": { schema: z.string() },
          },
        },
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid("param");
      const { format } = c.req.valid("query");
      const session = await requireSession(c, sessionId);
      const bundle = await loadBundle(c, session);
      const filename = `${session.id}.${format}`;
      if (format === "md") {
        return c.body(toMarkdownExport(bundle), 200, {
          "content-type": "text/markdown; charset=utf-8",
          "content-disposition": `attachment; filename="${filename}"`,
        });
      }
      return c.body(JSON.stringify(toJsonExport(bundle)), 200, {
        "content-type": "application/json",
        "content-disposition": `attachment; filename="${filename}"`,
      });
    },
  );
}
