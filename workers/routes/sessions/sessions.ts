import { z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { sessions } from "../../../shared/db/schema/sessions.ts";
import { newId } from "../../../shared/ids.ts";
import { pageQuerySchema, toPage } from "../../../shared/pagination.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { requireActive, requireSession, roomOf, sessionSchema, tags, toSession } from "./access.ts";

const createSessionSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  charter: z.string().trim().min(1).max(4000),
  environment: z.string().trim().min(1).max(200),
  timeboxMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
});

const updateSessionSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    charter: z.string().trim().min(1).max(4000).optional(),
    timeboxMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { error: "Send at least one of title, charter, timeboxMinutes" });

const listQuery = pageQuerySchema.extend({ status: z.enum(["active", "ended"]).optional() });
const projectParams = idParam("projectId", "prj");
export const sessionParams = idParam("sessionId", "ses");

export function registerSessionCrudRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/projects/{projectId}/sessions",
      tags,
      summary: "Start a manual testing session",
      permission: "sessions:write",
      request: { params: projectParams, body: jsonBody(createSessionSchema) },
      responses: { 201: jsonContent(sessionSchema, "The new session") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const { projectId } = c.req.valid("param");
      const body = c.req.valid("json");
      await requireProject(db, orgId, projectId);
      const now = Date.now();
      const row = {
        id: newId("ses", now),
        orgId,
        projectId,
        title: body.title,
        charter: body.charter,
        environment: body.environment,
        timeboxMinutes: body.timeboxMinutes,
        url: body.url ?? null,
        status: "active" as const,
        createdBy: c.get("principal").actorId,
        createdAt: now,
        updatedAt: now,
        endedAt: null,
        lastSeq: 0,
      };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "session.create",
          targetType: "session",
          targetId: row.id,
          changes: { projectId, title: row.title },
        },
        () => [db.insert(sessions).values(row)],
      );
      return c.json(toSession(row), 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/sessions",
      tags,
      summary: "List a project's sessions (newest first)",
      permission: "sessions:read",
      request: { params: projectParams, query: listQuery },
      responses: { 200: jsonContent(pageOf(sessionSchema), "A page of sessions") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const { projectId } = c.req.valid("param");
      const { limit, cursor, status } = c.req.valid("query");
      await requireProject(db, orgId, projectId);
      const rows = await db
        .select()
        .from(sessions)
        .where(
          and(
            eq(sessions.orgId, orgId),
            eq(sessions.projectId, projectId),
            status ? eq(sessions.status, status) : undefined,
            cursor ? lt(sessions.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(sessions.id))
        .limit(limit + 1);
      return c.json(toPage(rows.map(toSession), limit), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/sessions",
      tags,
      summary: "List the organisation's sessions (newest first)",
      permission: "sessions:read",
      request: { query: listQuery },
      responses: { 200: jsonContent(pageOf(sessionSchema), "A page of sessions") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { limit, cursor, status } = c.req.valid("query");
      const rows = await c
        .get("services")
        .db.select()
        .from(sessions)
        .where(
          and(
            eq(sessions.orgId, orgId),
            status ? eq(sessions.status, status) : undefined,
            cursor ? lt(sessions.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(sessions.id))
        .limit(limit + 1);
      return c.json(toPage(rows.map(toSession), limit), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/sessions/{sessionId}",
      tags,
      summary: "Get a session",
      permission: "sessions:read",
      request: { params: sessionParams },
      responses: { 200: jsonContent(sessionSchema, "The session") },
    }),
    async (c) => c.json(toSession(await requireSession(c, c.req.valid("param").sessionId)), 200),
  );

  app.openapi(
    defineRoute({
      method: "patch",
      path: "/sessions/{sessionId}",
      errors: [409],
      tags,
      summary: "Update a session's title, charter or timebox",
      permission: "sessions:write",
      request: { params: sessionParams, body: jsonBody(updateSessionSchema) },
      responses: {
        200: jsonContent(sessionSchema, "The updated session"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const { sessionId } = c.req.valid("param");
      const patch = c.req.valid("json");
      const before = await requireSession(c, sessionId);
      requireActive(before);
      const after = { ...before, ...patch, updatedAt: Date.now() };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        { action: "session.update", targetType: "session", targetId: sessionId, changes: patch },
        () => [
          db
            .update(sessions)
            .set({
              title: after.title,
              charter: after.charter,
              timeboxMinutes: after.timeboxMinutes,
              updatedAt: after.updatedAt,
            })
            .where(and(eq(sessions.orgId, orgId), eq(sessions.id, sessionId))),
        ],
      );
      return c.json(toSession(after), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/sessions/{sessionId}/end",
      errors: [409],
      tags,
      summary: 'End a session: live clients get {type:"ended"} and are disconnected',
      permission: "sessions:write",
      request: { params: sessionParams },
      responses: {
        200: jsonContent(sessionSchema, "The ended session"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const { sessionId } = c.req.valid("param");
      const before = await requireSession(c, sessionId);
      requireActive(before);
      const endedAt = Date.now();
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        { action: "session.end", targetType: "session", targetId: sessionId, changes: { status: "ended" } },
        () => [
          db
            .update(sessions)
            .set({ status: "ended", endedAt, updatedAt: endedAt })
            .where(and(eq(sessions.orgId, orgId), eq(sessions.id, sessionId), eq(sessions.status, "active"))),
        ],
      );
      // D1 first: once it says "ended" no new token or connection is admitted; then the room closes.
      const { stub, info } = roomOf(c.env, before);
      await stub.end(info);
      const after = await requireSession(c, sessionId);
      return c.json(toSession(after), 200);
    },
  );
}
