import { issueSocketToken, type SocketTokenSettings, verifySocketToken } from "../auth/socket-token.ts";

/**
 * Short-lived board tokens for `GET /v1/pipeline/board/live?token=…` (shared/auth/socket-token.ts),
 * bound to one org, with their own audience and `typ`.
 */
const AUDIENCE = "shifty-pipeline-board";

export type BoardTokenSettings = SocketTokenSettings;

export function issueBoardToken(
  settings: BoardTokenSettings,
  orgId: string,
  actorId: string,
  now = Date.now(),
) {
  return issueSocketToken(settings, AUDIENCE, actorId, { typ: "board", org: orgId }, now);
}

/** The org the token is for, or null when it is invalid, expired or not a board token. */
export async function verifyBoardToken(settings: BoardTokenSettings, token: string): Promise<string | null> {
  const payload = await verifySocketToken(settings, AUDIENCE, token);
  return payload?.typ === "board" && typeof payload.org === "string" ? payload.org : null;
}
