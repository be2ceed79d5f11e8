import { SignJWT, jwtVerify } from "jose";

/** Dashboard session tokens: HS256 only (pinned), issuer and audience checked, 30 s clock tolerance. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

export type SessionSettings = { secret: string; issuer: string; audience: string };

const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function issueSessionToken(settings: SessionSettings, userId: string, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  const token = await new SignJWT({ typ: "session" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(keyFor(settings.secret));
  return { token, expiresAt: (iat + SESSION_TTL_SECONDS) * 1000 };
}

/** Returns the user id, or null for any invalid, expired, foreign or wrongly signed token. */
export async function verifySessionToken(settings: SessionSettings, token: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(settings.secret), {
      algorithms: ["HS256"],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: 30,
      requiredClaims: ["exp", "sub", "iat"],
    });
    if (payload.typ !== "session" || typeof payload.sub !== "string") return null;
    return payload.sub;
  } catch {
    return null;
  }
}
