import { and, desc, eq, gt, isNull, lt } from "drizzle-orm";
import type { SignInRecord } from "../contract/auth.ts";
import type { Db } from "../db/client.ts";
import { signIns } from "../db/schema/auth.ts";
import { notFound } from "../errors.ts";
import { newId } from "../ids.ts";

type SignInRow = typeof signIns.$inferSelect;

/** Where a sign-in came from (stored for the user's "where am I signed in" list). */
export type SignInOrigin = { ip?: string | null; userAgent?: string | null };

/** How a sign-in was made (org policies accept only some: docs/sso-mfa.md). */
export type SignInMethod = { method: SignInRow["method"]; ssoOrgId: string | null };
export const PASSWORD_ONLY: SignInMethod = { method: "password", ssoOrgId: null };

/** The row a new token's `sid` names; the caller inserts it (alone or inside a batch). */
export function newSignIn(
  userId: string,
  origin: SignInOrigin,
  expiresAt: number,
  now = Date.now(),
  how: SignInMethod = PASSWORD_ONLY,
): SignInRow {
  return {
    ...how,
    id: newId("sgn", now),
    userId,
    ip: origin.ip ?? null,
    userAgent: origin.userAgent?.slice(0, 300) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    revokedAt: null,
  };
}

/**
 * A per-isolate memo of live sign-ins, as for API keys (shared/tenancy/api-key-cache.ts): entries
 * live 10 s, so an ended sign-in stops working everywhere within 10 s and at once in the isolate
 * that ended it. Only live sign-ins are remembered; a dead one is re-read (and refused) every time.
 */
const MEMO_TTL_MS = 10_000;
const MEMO_MAX = 2000;
const memo = new Map<string, SignInMethod & { userId: string; expiresAt: number; until: number }>();

function forget(predicate: (sid: string, userId: string) => boolean) {
  for (const [sid, entry] of memo) if (predicate(sid, entry.userId)) memo.delete(sid);
}

/**
 * How the sign-in was made when it exists, belongs to `userId`, is not revoked and not expired;
 * otherwise null.
 */
export async function liveSignIn(
  db: Db,
  sid: string,
  userId: string,
  now = Date.now(),
): Promise<SignInMethod | null> {
  const hit = memo.get(sid);
  if (hit && hit.until > now) {
    return hit.userId === userId && hit.expiresAt > now
      ? { method: hit.method, ssoOrgId: hit.ssoOrgId }
      : null;
  }
  const rows = await db.select().from(signIns).where(eq(signIns.id, sid)).limit(1);
  const row = rows[0];
  if (!row || row.userId !== userId || row.revokedAt !== null || row.expiresAt <= now) {
    memo.delete(sid);
    return null;
  }
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as string);
  const how = { method: row.method, ssoOrgId: row.ssoOrgId };
  memo.set(sid, { ...how, userId, expiresAt: row.expiresAt, until: now + MEMO_TTL_MS });
  return how;
}

const LAST_SEEN_INTERVAL_MS = 60_000;
const lastSeenWritten = new Map<string, number>();

/** Records activity at most once a minute per sign-in and isolate (the caller runs it after the response). */
export function touchSignIn(db: Db, sid: string, now = Date.now()): Promise<unknown> | null {
  if ((lastSeenWritten.get(sid) ?? 0) > now - LAST_SEEN_INTERVAL_MS) return null;
  if (lastSeenWritten.size >= MEMO_MAX) lastSeenWritten.delete(lastSeenWritten.keys().next().value as string);
  lastSeenWritten.set(sid, now);
  return db
    .update(signIns)
    .set({ lastSeenAt: now })
    .where(and(eq(signIns.id, sid), lt(signIns.lastSeenAt, now - LAST_SEEN_INTERVAL_MS)))
    .run();
}

const live = (userId: string, now: number) =>
  and(eq(signIns.userId, userId), isNull(signIns.revokedAt), gt(signIns.expiresAt, now));

/** The user's live sign-ins, newest first; `current` marks the caller's own. */
export async function listSignIns(
  db: Db,
  userId: string,
  currentSid: string | null,
): Promise<SignInRecord[]> {
  const rows = await db
    .select()
    .from(signIns)
    .where(live(userId, Date.now()))
    .orderBy(desc(signIns.id))
    .limit(200);
  return rows.map((r) => ({
    id: r.id,
    ip: r.ip,
    userAgent: r.userAgent,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    expiresAt: r.expiresAt,
    method: r.method,
    current: r.id === currentSid,
  }));
}

/** Ends one of the user's sign-ins; another user's (or an unknown, or an ended) id is a 404. */
export async function endSignIn(db: Db, userId: string, id: string): Promise<void> {
  const now = Date.now();
  const ended = await db
    .update(signIns)
    .set({ revokedAt: now })
    .where(and(eq(signIns.id, id), live(userId, now)))
    .returning({ id: signIns.id });
  forget((sid) => sid === id);
  if (ended.length === 0) throw notFound("Sign-in");
}

/** The statement ending every live sign-in of a user (for a batch: password change, account deletion). */
export function endAllSignInsStatement(db: Db, userId: string, now = Date.now()) {
  forget((_sid, owner) => owner === userId);
  return db
    .update(signIns)
    .set({ revokedAt: now })
    .where(and(eq(signIns.userId, userId), isNull(signIns.revokedAt)));
}
