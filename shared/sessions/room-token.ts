import { jwtVerify, SignJWT } from "jose";
import { ROOM_ROLES, type RoomRole } from "../contract/room.ts";

/**
 * Short-lived room tokens for `GET /v1/sessions/{id}/live?token=…`. A WebSocket from a browser cannot
 * send an Authorization header, so the API mints a JWT (HS256, pinned) bound to one session, org, actor,
 * display name and room role. A different audience and `typ` than dashboard session tokens, so neither
 * can stand in for the other.
 */
export const ROOM_TOKEN_TTL_SECONDS = 5 * 60;
const AUDIENCE = "shifty-room";

export type RoomIdentity = {
  sessionId: string;
  orgId: string;
  actorId: string;
  actorType: "user" | "api_key";
  name: string;
  role: RoomRole;
};

export type RoomTokenSettings = { secret: string; issuer: string };

const encoder = new TextEncoder();

export async function issueRoomToken(settings: RoomTokenSettings, identity: RoomIdentity, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  const exp = iat + ROOM_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({
    typ: "room",
    sid: identity.sessionId,
    org: identity.orgId,
    act: identity.actorType,
    name: identity.name,
    role: identity.role,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(identity.actorId)
    .setIssuer(settings.issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(encoder.encode(settings.secret));
  return { token, expiresAt: exp * 1000 };
}

/** The identity in a valid token for `sessionId`, or null (bad signature, expired, other session, …). */
export async function verifyRoomToken(
  settings: RoomTokenSettings,
  token: string,
  sessionId: string,
): Promise<RoomIdentity | null> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(settings.secret), {
      algorithms: ["HS256"],
      issuer: settings.issuer,
      audience: AUDIENCE,
      clockTolerance: 5,
      requiredClaims: ["exp", "sub", "iat"],
    });
    const { typ, sid, org, act, name, role, sub } = payload as Record<string, unknown>;
    if (typ !== "room" || sid !== sessionId || typeof org !== "string" || typeof sub !== "string")
      return null;
    if (act !== "user" && act !== "api_key") return null;
    if (typeof name !== "string" || !(ROOM_ROLES as readonly unknown[]).includes(role)) return null;
    return { sessionId, orgId: org, actorId: sub, actorType: act, name, role: role as RoomRole };
  } catch {
    return null;
  }
}
