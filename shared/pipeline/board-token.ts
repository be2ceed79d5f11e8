import { jwtVerify, SignJWT } from "jose";

/**
 * Short-lived board tokens for `GET /v1/pipeline/board/live?token=…` (a browser WebSocket cannot send
 * an Authorization header). HS256, bound to one org, with their own audience and `typ`, so neither a
 * session token nor a room token can stand in for one.
 */
export const BOARD_TOKEN_TTL_SECONDS = 5 * 60;
const AUDIENCE = "shifty-pipeline-board";
const encoder = new TextEncoder();

export type BoardTokenSettings = { secret: string; issuer: string };

export async function issueBoardToken(
  settings: BoardTokenSettings,
  orgId: string,
  actorId: string,
  now = Date.now(),
) {
  const iat = Math.floor(now / 1000);
  const exp = iat + BOARD_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ typ: "board", org: orgId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(actorId)
    .setIssuer(settings.issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(encoder.encode(settings.secret));
  return { token, expiresAt: exp * 1000 };
}

/** The org the token is for, or null when it is invalid, expired or not a board token. */
export async function verifyBoardToken(settings: BoardTokenSettings, token: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(settings.secret), {
      algorithms: ["HS256"],
      issuer: settings.issuer,
      audience: AUDIENCE,
      clockTolerance: 5,
      requiredClaims: ["exp", "sub", "iat"],
    });
    return payload.typ === "board" && typeof payload.org === "string" ? payload.org : null;
  } catch {
    return null;
  }
}
