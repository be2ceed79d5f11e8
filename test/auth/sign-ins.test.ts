import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { api, countOf, newTenant } from "../helpers.ts";
import { postSignIn } from "./helpers.ts";

type SignIns = { items: { id: string; current: boolean; ip: string | null; userAgent: string | null }[] };

async function signIn(email: string, password = "correct horse battery", ua = "test-agent") {
  const res = await postSignIn(email, password, { "user-agent": ua });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe("sign-ins you can end", () => {
  it("names a server-side sign-in in every token and lists mine, marking the current one", async () => {
    const t = await newTenant();
    const second = await signIn(t.email, "correct horse battery", "Firefox/200");
    const sid = decodeJwt(second).sid as string;
    expect(sid).toMatch(/^sgn_/);
    const list = (await (await api("/v1/auth/sign-ins", { token: second })).json()) as SignIns;
    expect(list.items).toHaveLength(2);
    expect(list.items.find((s) => s.current)).toMatchObject({ id: sid, userAgent: "Firefox/200" });
    // Another user sees only their own.
    const other = await newTenant();
    const theirs = (await (await api("/v1/auth/sign-ins", { token: other.token })).json()) as SignIns;
    expect(theirs.items.map((s) => s.id)).not.toContain(sid);
  });

  it("ends a sign-in: its token gets 401 at once, the others keep working", async () => {
    const t = await newTenant();
    const laptop = await signIn(t.email);
    const sid = decodeJwt(laptop).sid as string;
    expect((await api("/v1/me", { token: laptop })).status).toBe(200);
    const end = await api(`/v1/auth/sign-ins/${sid}`, { method: "DELETE", token: t.token });
    expect(end.status).toBe(204);
    expect((await api("/v1/me", { token: laptop })).status).toBe(401);
    expect((await api("/v1/me", { token: t.token })).status).toBe(200);
    // Ending it again, or ending someone else's, is a 404.
    expect((await api(`/v1/auth/sign-ins/${sid}`, { method: "DELETE", token: t.token })).status).toBe(404);
    const other = await newTenant();
    const otherSid = decodeJwt(other.token).sid as string;
    expect((await api(`/v1/auth/sign-ins/${otherSid}`, { method: "DELETE", token: t.token })).status).toBe(
      404,
    );
    expect((await api("/v1/me", { token: other.token })).status).toBe(200);
  });

  it("a password change ends every sign-in and returns a fresh one", async () => {
    const t = await newTenant();
    const phone = await signIn(t.email);
    const wrong = await api("/v1/auth/password", {
      method: "POST",
      token: t.token,
      json: { currentPassword: "not my password", newPassword: "a brand new passphrase" },
    });
    expect(wrong.status).toBe(403);
    const res = await api("/v1/auth/password", {
      method: "POST",
      token: t.token,
      json: { currentPassword: "correct horse battery", newPassword: "a brand new passphrase" },
    });
    expect(res.status).toBe(200);
    const fresh = ((await res.json()) as { token: string }).token;
    expect((await api("/v1/me", { token: t.token })).status).toBe(401);
    expect((await api("/v1/me", { token: phone })).status).toBe(401);
    expect((await api("/v1/me", { token: fresh })).status).toBe(200);
    const old = await postSignIn(t.email, "correct horse battery");
    expect(old.status).toBe(401);
    await signIn(t.email, "a brand new passphrase");
    const rows = await countOf(
      "SELECT COUNT(*) AS n FROM sign_ins WHERE user_id = ? AND revoked_at IS NULL",
      t.userId,
    );
    expect(rows).toBe(2);
  });

  it("refuses API keys on the user's sign-in routes", async () => {
    const t = await newTenant();
    expect((await api("/v1/auth/sign-ins", { token: t.apiKey })).status).toBe(403);
    const sid = decodeJwt(t.token).sid as string;
    expect((await api(`/v1/auth/sign-ins/${sid}`, { method: "DELETE", token: t.apiKey })).status).toBe(404);
    expect((await api("/v1/me", { token: t.token })).status).toBe(200);
  });
});
