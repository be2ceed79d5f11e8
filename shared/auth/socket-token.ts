import { type JWTPayload, jwtVerify, SignJWT } from "jose";

/**
 * Short-lived tokens for the browser WebSockets (the session room, the pipeline board): a browser
 * cannot send an Authorization header on a WebSocket, so the API mints a JWT for the `?token=`
 * query. HS256 (pinned), five minutes, each kind with its own audience and `typ` claim so that none
 * can stand in for another or for a dashboard sign-in token (shared/auth/token.ts).
 */
export const SOCKET_TOKEN_TTL_SECONDS = 5 * 60;

export type SocketTokenSettings = { secret: string; issuer: string };

const encoder = new TextEncoder();

export async function issueSocketToken(
  settings: SocketTokenSettings,
  audience: string,
  subject: string,
  claims: JWTPayload,
  now = Date.now(),
) {
  const iat = Math.floor(now / 1000);
  const exp = iat + SOCKET_TOKEN_TTL_SECONDS;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(subject)
    .setIssuer(settings.issuer)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(encoder.encode(settings.secret));
  return { token, expiresAt: exp * 1000 };
}

/** The claims of a token signed for `audience`, or null (bad signature, expired, other audience, …). */
export async function verifySocketToken(
  settings: SocketTokenSettings,
  audience: string,
  token: string,
): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(settings.secret), {
      algorithms: ["HS256"],
      issuer: settings.issuer,
      audience,
      clockTolerance: 5,
      requiredClaims: ["exp", "sub", "iat"],
    });
    return payload;
  } catch {
    return null;
  }
}
