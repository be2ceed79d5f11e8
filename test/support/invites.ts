import { api } from "../helpers.ts";

/** POST /v1/invites/accept: the signed-in user (`userToken`) accepts the invite whose secret is `inviteToken`. */
export const acceptInvite = (userToken: string, inviteToken: string) =>
  api("/v1/invites/accept", { method: "POST", token: userToken, json: { token: inviteToken } });
