import { SignJWT, jwtVerify } from "jose";

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

export async function issueAuthToken(settings: AuthTokenSettings, userId: string, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  const token = await new SignJWT({ typ: TOKEN_TYPE })
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

/** Returns the user id, or null for any invalid, expired, foreign or wrongly signed token. */
export async function verifyAuthToken(settings: AuthTokenSettings, token: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(settings.secret), {
      algorithms: ["HS256"],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: 30,
      requiredClaims: ["exp", "sub", "iat"],
    });
    if (payload.typ !== TOKEN_TYPE || typeof payload.sub !== "string") return null;
    return payload.sub;
  } catch {
    return null;
  }
}
