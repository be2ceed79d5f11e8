import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { RoomEvent, RoomRole, Severity } from "../contract/room.ts";
import type { SessionListQuery } from "../contract/sessions.ts";
import type { Db } from "../db/client.ts";
import { firstInOrg, pageMatching, selectInOrg } from "../db/org-scoped.ts";
import {
  sessionEvents,
  sessionFindings,
  sessionParticipants,
  sessionScreenshots,
  sessions,
} from "../db/schema/sessions.ts";
import { apiKeys, users } from "../db/schema/tenancy.ts";

/** Every function takes the org id: the tenant filter is never optional (another org's rows read as absent). */

export type SessionRow = typeof sessions.$inferSelect;
export type FindingRow = typeof sessionFindings.$inferSelect;
export type ScreenshotRow = typeof sessionScreenshots.$inferSelect;
export type ParticipantRow = typeof sessionParticipants.$inferSelect;

/** An event as the room stores it (its SQLite row), ready to mirror into D1. */
export type StoredEvent = {
  seq: number;
  kind: string;
  actorId: string;
  actorType: "user" | "api_key" | "system";
  actorName: string;
  at: number;
  data: Record<string, unknown>;
};

/** A newest-first page of the org's sessions, narrowed to a project and/or a status. */
export function pageSessions(db: Db, orgId: string, query: SessionListQuery, projectId?: string) {
  return pageMatching(db, sessions, orgId, query, { projectId, status: query.status });
}

/** Display name of a user or API key (the name participants see). */
export async function actorName(db: Db, kind: "user" | "api_key", actorId: string): Promise<string> {
  if (kind === "user") {
    const rows = await db.select({ name: users.name }).from(users).where(eq(users.id, actorId)).limit(1);
    return rows[0]?.name ?? "Unknown user";
  }
  const rows = await db.select({ name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.id, actorId)).limit(1);
  return rows[0]?.name ?? "API key";
}

/** Statements that mirror `events` (and the findings among them) into D1; idempotent on replays. */
export function mirrorStatements(db: Db, orgId: string, sessionId: string, events: StoredEvent[]) {
  const statements: BatchItem<"sqlite">[] = [];
  for (const e of events) {
    statements.push(
      db
        .insert(sessionEvents)
        .values({
          orgId,
          sessionId,
          seq: e.seq,
          kind: e.kind,
          actorId: e.actorId,
          actorName: e.actorName,
          at: e.at,
          data: e.data,
        })
        .onConflictDoNothing(),
    );
    if (e.kind === "finding" && typeof e.data.findingId === "string") {
      statements.push(
        db
          .insert(sessionFindings)
          .values({
            id: e.data.findingId,
            orgId,
            sessionId,
            seq: e.seq,
            severity: e.data.severity as Severity,
            title: String(e.data.title),
            description: typeof e.data.description === "string" ? e.data.description : null,
            stepSeqs: Array.isArray(e.data.stepSeqs) ? (e.data.stepSeqs as number[]) : [],
            createdBy: e.actorId,
            createdAt: e.at,
          })
          .onConflictDoNothing(),
      );
    }
  }
  const last = events.at(-1)?.seq ?? 0;
  statements.push(
    db
      .update(sessions)
      .set({ lastSeq: sql`max(${sessions.lastSeq}, ${last})` })
      .where(and(eq(sessions.orgId, orgId), eq(sessions.id, sessionId))),
  );
  return statements;
}

export async function listEvents(db: Db, orgId: string, sessionId: string, since: number, limit: number) {
  const rows = await selectInOrg(
    db,
    sessionEvents,
    orgId,
    eq(sessionEvents.sessionId, sessionId),
    gt(sessionEvents.seq, since),
  )
    .orderBy(asc(sessionEvents.seq))
    .limit(limit);
  return rows.map(toRoomEvent);
}

export function toRoomEvent(row: typeof sessionEvents.$inferSelect): RoomEvent {
  return {
    type: "event",
    seq: row.seq,
    kind: row.kind as RoomEvent["kind"],
    actor: { id: row.actorId, name: row.actorName },
    at: row.at,
    data: row.data,
  };
}

/** Records (or refreshes) an actor's participation; the role only ever goes up (observer → tester → host). */
export function upsertParticipant(
  db: Db,
  orgId: string,
  sessionId: string,
  p: { actorId: string; name: string; role: RoomRole },
  now = Date.now(),
) {
  return db
    .insert(sessionParticipants)
    .values({
      orgId,
      sessionId,
      actorId: p.actorId,
      name: p.name,
      role: p.role,
      firstSeenAt: now,
      lastSeenAt: now,
    })
    .onConflictDoUpdate({
      target: [sessionParticipants.sessionId, sessionParticipants.actorId],
      set: {
        name: p.name,
        lastSeenAt: now,
        role: sql`CASE WHEN ${sessionParticipants.role} = 'host' OR excluded.role = 'host' THEN 'host'
          WHEN ${sessionParticipants.role} = 'tester' OR excluded.role = 'tester' THEN 'tester' ELSE 'observer' END`,
      },
      setWhere: eq(sessionParticipants.orgId, orgId),
    });
}

/** A table of rows that belong to one session of the org (participants, findings, screenshots). */
type SessionTable = SQLiteTable & { orgId: SQLiteColumn; sessionId: SQLiteColumn };

/** All of a session's rows in `table`, in `order`. */
async function rowsOfSession<T extends SessionTable>(
  db: Db,
  table: T,
  orgId: string,
  sessionId: string,
  order: SQLiteColumn,
) {
  return selectInOrg(db, table, orgId, eq(table.sessionId, sessionId)).orderBy(asc(order));
}

/** One of a session's rows by id; null for another session's (or another org's) id. */
async function rowOfSession<T extends SessionTable & { id: SQLiteColumn }>(
  db: Db,
  table: T,
  orgId: string,
  sessionId: string,
  id: string,
) {
  return firstInOrg(db, table, orgId, eq(table.sessionId, sessionId), eq(table.id, id));
}

export const listParticipants = (db: Db, orgId: string, sessionId: string) =>
  rowsOfSession(db, sessionParticipants, orgId, sessionId, sessionParticipants.firstSeenAt);

export const findFinding = (db: Db, orgId: string, sessionId: string, findingId: string) =>
  rowOfSession(db, sessionFindings, orgId, sessionId, findingId);

export const listFindings = (db: Db, orgId: string, sessionId: string) =>
  rowsOfSession(db, sessionFindings, orgId, sessionId, sessionFindings.seq);

export const listScreenshots = (db: Db, orgId: string, sessionId: string) =>
  rowsOfSession(db, sessionScreenshots, orgId, sessionId, sessionScreenshots.id);

export const findScreenshot = (db: Db, orgId: string, sessionId: string, shotId: string) =>
  rowOfSession(db, sessionScreenshots, orgId, sessionId, shotId);

/** The whole mirrored timeline, read in pages (bounded by `max`). */
export async function allEvents(db: Db, orgId: string, sessionId: string, max = 20_000) {
  const out: RoomEvent[] = [];
  let since = 0;
  while (out.length < max) {
    const page = await listEvents(db, orgId, sessionId, since, 500);
    out.push(...page);
    if (page.length < 500) break;
    since = page.at(-1)!.seq;
  }
  return out;
}

/** The R2 key of a screenshot: every object lives under its org's prefix. */
export function screenshotKey(orgId: string, sessionId: string, shotId: string, contentType: string) {
  return `orgs/${orgId}/sessions/${sessionId}/screenshots/${shotId}.${contentType === "image/png" ? "png" : "jpg"}`;
}
