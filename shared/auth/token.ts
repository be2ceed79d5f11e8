import { jwtVerify, SignJWT } from "jose";

/**
 * The dashboard's sign-in tokens: HS256 only (pinned), issuer and audience checked, 30 s clock
 * tolerance. (Not to be confused with manual test sessions, which live in shared/sessions/.)
 */
export const AUTH_TOKEN_TTL_SECONDS = 12 * 60 * 60;

export type AuthTokenSettings = { secret: string; issuer: string; audience: string };

/** The token settings from the configuration's JWT secret, issuer and audience. */
export function authTokenSettings(config: {
  jwtSecret: string;
  jwtIssuer: string;
  jwtAudience: string;
}): AuthTokenSettings {
  return { secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience };
}

const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

// The `typ` claim stays "session": tokens issued before the rename must keep verifying.
const TOKEN_TYPE = "session";

/** `sid` names the server-side sign-in record (shared/auth/sign-ins.ts) that can end the token early. */
export async function issueAuthToken(
  settings: AuthTokenSettings,
  userId: string,
  sid: string,
  now = Date.now(),
) {
  const iat = Math.floor(now / 1000);
  const token = await new SignJWT({ typ: TOKEN_TYPE, sid })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + AUTH_TOKEN_TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(keyFor(settings.secret));
  return { token, expiresAt: (iat + AUTH_TOKEN_TTL_SECONDS) * 1000 };
}

/** Token lifetime end (ms) for a token issued at `now`, as `issueAuthToken` sets it. */
export const authTokenExpiry = (now: number) => (Math.floor(now / 1000) + AUTH_TOKEN_TTL_SECONDS) * 1000;

/**
 * The user and sign-in ids, or null for any invalid, expired, foreign or wrongly signed token, and for
 * a token without `sid` (one that no sign-in record can end).
 */
export async function verifyAuthToken(
  settings: AuthTokenSettings,
  token: string,
): Promise<{ userId: string; sid: string } | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(settings.secret), {
      algorithms: ["HS256"],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: 30,
      requiredClaims: ["exp", "sub", "iat", "sid"],
    });
    if (payload.typ !== TOKEN_TYPE || typeof payload.sub !== "string" || typeof payload.sid !== "string")
      return null;
    return { userId: payload.sub, sid: payload.sid };
  } catch {
    return null;
  }
}

/**
 * A second-factor challenge: proof that the password was right, good for 5 minutes and only for
 * `POST /v1/auth/mfa/verify` (its own `typ`, so it never passes as a sign-in token).
 */
const CHALLENGE_TYPE = "mfa-challenge";
const CHALLENGE_TTL_SECONDS = 300;

export async function issueMfaChallenge(settings: AuthTokenSettings, userId: string, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  const challenge = await new SignJWT({ typ: CHALLENGE_TYPE })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(`${settings.audience}:mfa`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + CHALLENGE_TTL_SECONDS)
    .sign(keyFor(settings.secret));
  return { mfaRequired: true as const, challenge, expiresAt: (iat + CHALLENGE_TTL_SECONDS) * 1000 };
}

/** The user id a valid challenge names, else null. */
export async function verifyMfaChallenge(
  settings: AuthTokenSettings,
  challenge: string,
): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(challenge, keyFor(settings.secret), {
      algorithms: ["HS256"],
      issuer: settings.issuer,
      audience: `${settings.audience}:mfa`,
      requiredClaims: ["exp", "sub"],
    });
    return payload.typ === CHALLENGE_TYPE && typeof payload.sub === "string" ? payload.sub : null;
  } catch {
    return null;
  }
}
