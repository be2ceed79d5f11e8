import { expect } from "vitest";
import { api } from "../helpers.ts";
import { acceptInvite } from "../support/invites.ts";

export const PASSWORD = "correct horse battery";

/** DELETE /v1/org for `t.orgId`, confirmed with the owner's password (or another body). */
export const deleteOrg = (t: { token: string; orgId: string }, json: unknown = { password: PASSWORD }) =>
  api("/v1/org", { method: "DELETE", token: t.token, orgId: t.orgId, json });

/** POST /v1/auth/signin with `password` (the test accounts' own by default) and any browser `headers`. */
export const postSignIn = (email: string, password = PASSWORD, headers: Record<string, string> = {}) =>
  api("/v1/auth/signin", { method: "POST", json: { email, password }, headers });

/** Reads a JSON body after checking the status (the body is in the failure message). */
export async function body<T>(res: Response | Promise<Response>, status: number): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/**
 * A new account (its own org too) invited into `orgId` with `role` by `inviterToken`, accepted; with the
 * invite's token, which cannot be accepted again.
 */
export async function addMember(
  inviterToken: string,
  orgId: string,
  role: string,
  extra: { customRoleId?: string; email?: string } = {},
) {
  const email = extra.email ?? `m${Date.now()}${Math.floor(Math.random() * 1e9)}@example.com`;
  const member = await body<{ token: string; user: { id: string } }>(
    api("/v1/auth/signup", { method: "POST", json: { email, password: PASSWORD, name: "Member" } }),
    201,
  );
  const invite = await body<{ token: string }>(
    api("/v1/invites", {
      method: "POST",
      token: inviterToken,
      orgId,
      json: { email, role, ...(extra.customRoleId ? { customRoleId: extra.customRoleId } : {}) },
    }),
    201,
  );
  await body(acceptInvite(member.token, invite.token), 200);
  return { email, token: member.token, userId: member.user.id, inviteToken: invite.token };
}
