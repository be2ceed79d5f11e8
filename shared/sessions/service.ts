import { and, eq } from "drizzle-orm";
import type { AuditContext } from "../audit/repository.ts";
import { auditedBatch, auditedInsert, auditedUpdate } from "../audit/repository.ts";
import type { NewSession, Session, SessionListQuery, SessionPatch } from "../contract/sessions.ts";
import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { sessions } from "../db/schema/sessions.ts";
import { projects } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import { mapPage } from "../pagination.ts";
import { pageSessions, type SessionRow } from "./repository.ts";
import type { RoomDirectory } from "./room.ts";

/** A session row as the API shows it (the org id stays inside). */
export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    charter: row.charter,
    environment: row.environment,
    timeboxMinutes: row.timeboxMinutes,
    url: row.url,
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
    lastSeq: row.lastSeq,
  };
}

/** The org's session or a 404 (another org's id looks exactly like an unknown one). */
export function requireSession(db: Db, orgId: string, sessionId: string): Promise<SessionRow> {
  return requireInOrg(db, sessions, orgId, sessionId, "Session");
}

/** Only an active session may change or receive events. */
export function requireActive(session: SessionRow) {
  if (session.status !== "active") throw new ApiError("conflict", "The session has ended");
}

/** The org's active session or an error: 404 when unknown, 409 when it has ended. */
export async function requireActiveSession(db: Db, orgId: string, sessionId: string) {
  const session = await requireSession(db, orgId, sessionId);
  requireActive(session);
  return session;
}

export async function createSession(
  db: Db,
  orgId: string,
  audit: AuditContext,
  projectId: string,
  input: NewSession,
  now = Date.now(),
): Promise<Session> {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const row: SessionRow = {
    id: newId("ses", now),
    orgId,
    projectId,
    title: input.title,
    charter: input.charter,
    environment: input.environment,
    timeboxMinutes: input.timeboxMinutes,
    url: input.url ?? null,
    status: "active",
    createdBy: audit.actor.id,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
    lastSeq: 0,
  };
  await auditedInsert(db, orgId, audit, sessions, row, {
    action: "session.create",
    targetType: "session",
    changes: { projectId, title: row.title },
  });
  return toSession(row);
}

/** A newest-first page of the org's sessions, of one project when `projectId` is given. */
export async function listSessions(db: Db, orgId: string, query: SessionListQuery, projectId?: string) {
  if (projectId) await requireInOrg(db, projects, orgId, projectId, "Project");
  const page = await pageSessions(db, orgId, query, projectId);
  return mapPage(page, toSession);
}

export async function updateSession(
  db: Db,
  orgId: string,
  audit: AuditContext,
  sessionId: string,
  patch: SessionPatch,
): Promise<Session> {
  const before = await requireActiveSession(db, orgId, sessionId);
  const after = { ...before, ...patch, updatedAt: Date.now() };
  await auditedUpdate(
    db,
    orgId,
    audit,
    sessions,
    sessionId,
    {
      title: after.title,
      charter: after.charter,
      timeboxMinutes: after.timeboxMinutes,
      updatedAt: after.updatedAt,
    },
    { action: "session.update", targetType: "session", changes: patch },
  );
  return toSession(after);
}

/** Ends a session: D1 first (no new token or connection is admitted after), then the room closes. */
export async function endSession(
  db: Db,
  rooms: RoomDirectory,
  orgId: string,
  audit: AuditContext,
  sessionId: string,
): Promise<Session> {
  const before = await requireActiveSession(db, orgId, sessionId);
  const endedAt = Date.now();
  await auditedBatch(
    db,
    orgId,
    audit,
    { action: "session.end", targetType: "session", targetId: sessionId, changes: { status: "ended" } },
    () => [
      db
        .update(sessions)
        .set({ status: "ended", endedAt, updatedAt: endedAt })
        .where(and(eq(sessions.orgId, orgId), eq(sessions.id, sessionId), eq(sessions.status, "active"))),
    ],
  );
  await rooms(before).end();
  return toSession(await requireSession(db, orgId, sessionId));
}
