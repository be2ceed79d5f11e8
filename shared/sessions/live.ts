import { CLOSE_CODES, type RoomErrorCode, type RoomRole } from "../contract/room.ts";
import type { RoomToken } from "../contract/sessions.ts";
import type { Db } from "../db/client.ts";
import { findInOrg } from "../db/org-scoped.ts";
import { sessions } from "../db/schema/sessions.ts";
import type { ErrorCode } from "../errors.ts";
import { principalIsActive } from "../tenancy/principal-status.ts";
import { type SessionRow, upsertParticipant } from "./repository.ts";
import type { RoomActor } from "./room.ts";
import { issueRoomToken, type RoomIdentity, type RoomTokenSettings, verifyRoomToken } from "./room-token.ts";

/** Mints a short-lived room token for `actor` in an (already checked) active session. */
export async function mintRoomToken(
  settings: RoomTokenSettings,
  session: SessionRow,
  actor: RoomActor,
  role: RoomRole = actor.role,
): Promise<Omit<RoomToken, "url">> {
  const { token, expiresAt } = await issueRoomToken(settings, {
    sessionId: session.id,
    orgId: session.orgId,
    actorId: actor.id,
    actorType: actor.type,
    name: actor.name,
    role,
  });
  return { token, expiresAt, role };
}

/** Why a live connection is refused: the frame code, the HTTP error code and the close code. */
export type Refusal = { code: RoomErrorCode; apiCode: ErrorCode; message: string; closeCode: number };

export type Admission =
  | { ok: true; session: SessionRow; identity: RoomIdentity; since: number | null }
  | { ok: false; refusal: Refusal; orgId?: string };

const SESSION_ID = /^ses_[0-9a-z]{26}$/;

const refused = (
  code: RoomErrorCode,
  apiCode: ErrorCode,
  message: string,
  closeCode: number,
  orgId?: string,
): Admission => ({ ok: false, refusal: { code, apiCode, message, closeCode }, ...(orgId ? { orgId } : {}) });

/** `?since=`: absent is null (no replay); anything but a non-negative integer is NaN. */
export function parseSince(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
}

/**
 * Decides whether a live connection may join: a well-formed session id, a valid room token for it,
 * a sane `since`, and a session that still exists and is active. Checks run in that order, so the
 * refusal names the first problem.
 */
export async function admitToRoom(
  db: Db,
  settings: RoomTokenSettings,
  sessionId: string,
  query: { token?: string; since?: string },
): Promise<Admission> {
  if (!SESSION_ID.test(sessionId))
    return refused("not_found", "not_found", "Session not found", CLOSE_CODES.notFound);
  if (!query.token) {
    return refused(
      "unauthenticated",
      "unauthenticated",
      "Pass ?token= (POST …/token)",
      CLOSE_CODES.unauthenticated,
    );
  }
  const since = parseSince(query.since);
  if (Number.isNaN(since)) {
    return refused(
      "bad_request",
      "bad_request",
      "since must be a non-negative integer",
      CLOSE_CODES.badRequest,
    );
  }
  const identity = await verifyRoomToken(settings, query.token, sessionId);
  if (!identity) {
    return refused(
      "unauthenticated",
      "unauthenticated",
      "The room token is invalid or expired",
      CLOSE_CODES.unauthenticated,
    );
  }
  const { orgId } = identity;
  // A token outlives nothing: a member removed or a key revoked since it was minted is refused.
  if (!(await principalIsActive(db, orgId, identity.actorType, identity.actorId))) {
    return refused("forbidden", "forbidden", "Access was revoked", CLOSE_CODES.revoked, orgId);
  }
  const session = await findInOrg(db, sessions, orgId, sessionId);
  if (!session) return refused("not_found", "not_found", "Session not found", CLOSE_CODES.notFound, orgId);
  if (session.status !== "active") {
    return refused("session_ended", "gone", "The session has ended", CLOSE_CODES.gone, orgId);
  }
  return { ok: true, session, identity, since };
}

/** Records the joining actor as a participant and returns them as the room sees them. */
export async function joinAs(db: Db, session: SessionRow, identity: RoomIdentity): Promise<RoomActor> {
  await upsertParticipant(db, session.orgId, session.id, {
    actorId: identity.actorId,
    name: identity.name,
    role: identity.role,
  });
  return { id: identity.actorId, type: identity.actorType, name: identity.name, role: identity.role };
}
