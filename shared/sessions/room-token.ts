import { issueSocketToken, type SocketTokenSettings, verifySocketToken } from "../auth/socket-token.ts";
import { ROOM_ROLES, type RoomRole } from "../contract/room.ts";

/**
 * Short-lived room tokens for `GET /v1/sessions/{id}/live?token=…` (shared/auth/socket-token.ts),
 * bound to one session, org, actor, display name and room role, with their own audience and `typ`.
 */
const AUDIENCE = "shifty-room";

export type RoomIdentity = {
  sessionId: string;
  orgId: string;
  actorId: string;
  actorType: "user" | "api_key";
  name: string;
  role: RoomRole;
};

export type RoomTokenSettings = SocketTokenSettings;

export function issueRoomToken(settings: RoomTokenSettings, identity: RoomIdentity, now = Date.now()) {
  const { sessionId, orgId, actorType, name, role } = identity;
  const claims = { typ: "room", sid: sessionId, org: orgId, act: actorType, name, role };
  return issueSocketToken(settings, AUDIENCE, identity.actorId, claims, now);
}

/** The identity in a valid token for `sessionId`, or null (bad signature, expired, other session, …). */
export async function verifyRoomToken(
  settings: RoomTokenSettings,
  token: string,
  sessionId: string,
): Promise<RoomIdentity | null> {
  const payload = await verifySocketToken(settings, AUDIENCE, token);
  if (!payload) return null;
  const { typ, sid, org, act, name, role, sub } = payload;
  if (typ !== "room" || sid !== sessionId || typeof org !== "string" || typeof sub !== "string") return null;
  if (act !== "user" && act !== "api_key") return null;
  if (typeof name !== "string" || !(ROOM_ROLES as readonly unknown[]).includes(role)) return null;
  return { sessionId, orgId: org, actorId: sub, actorType: act, name, role: role as RoomRole };
}
