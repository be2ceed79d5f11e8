import { describe, expect, it } from "vitest";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { acceptInvite } from "../support/invites.ts";
import { mintKey } from "../support/keys.ts";
import { waitFor } from "../wait-for.ts";
import { connect, newSession, postRoomToken } from "./room-client.ts";

/**
 * Live rooms learn of removals and revocations (docs/room-protocol.md, "Revocation of open
 * connections"): open sockets close with 4403 and tokens minted before are refused with 4403.
 */

async function tokenFor(credential: string, orgId: string, sessionId: string) {
  const res = await postRoomToken(credential, sessionId, { orgId });
  expect(res.status).toBe(201);
  return (await res.json()) as { url: string };
}

async function addMember(owner: Tenant) {
  const email = `r${Date.now()}${Math.floor(Math.random() * 1e9)}@example.com`;
  const signup = await api("/v1/auth/signup", {
    method: "POST",
    json: { email, password: "member password 1", name: "Tester" },
  });
  const { token, user } = (await signup.json()) as { token: string; user: { id: string } };
  const inv = await api("/v1/invites", {
    method: "POST",
    token: owner.token,
    json: { email, role: "member" },
  });
  const accepted = await acceptInvite(token, ((await inv.json()) as { token: string }).token);
  expect(accepted.status).toBe(200);
  return { token, userId: user.id };
}

async function expectClosedWith4403(url: string) {
  const late = await connect(url);
  await waitFor(() => late.closed !== null);
  expect(late.closed!.code).toBe(4403);
}

describe("room revocation", () => {
  it("revoking a key closes its open socket with 4403 and refuses its earlier tokens", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const { key, apiKey } = await mintKey(t.token, ["sessions:read", "sessions:write"], "room");
    const first = await tokenFor(key, t.orgId, s.id);
    const spare = await tokenFor(key, t.orgId, s.id);
    const socket = await connect(first.url);
    const bystander = await connect((await tokenFor(t.apiKey, t.orgId, s.id)).url);
    socket.send({ type: "chat", text: "still here" });
    await socket.nextEvent();

    expect((await api(`/v1/api-keys/${apiKey.id}`, { method: "DELETE", token: t.token })).status).toBe(204);
    await waitFor(() => socket.closed !== null);
    expect(socket.closed!.code).toBe(4403);
    expect(bystander.closed).toBeNull();
    await expectClosedWith4403(spare.url);
    bystander.close();
  });

  it("removing a member closes their open socket with 4403 and refuses their earlier tokens", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const member = await addMember(t);
    const first = await tokenFor(member.token, t.orgId, s.id);
    const spare = await tokenFor(member.token, t.orgId, s.id);
    const socket = await connect(first.url);
    socket.send({ type: "chat", text: "hello" });
    await socket.nextEvent();

    expect((await api(`/v1/members/${member.userId}`, { method: "DELETE", token: t.token })).status).toBe(
      204,
    );
    await waitFor(() => socket.closed !== null);
    expect(socket.closed!.code).toBe(4403);
    await expectClosedWith4403(spare.url);
  });
});
