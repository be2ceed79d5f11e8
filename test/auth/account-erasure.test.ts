import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { UserRow } from "../../shared/auth/accounts.ts";
import { confirmIdentity, SSO_ONLY_PASSWORD } from "../../shared/auth/mfa.ts";
import { createDb } from "../../shared/db/client.ts";
import { api, countOf, newTenant } from "../helpers.ts";
import { addMember, body, deleteOrg, PASSWORD, postSignIn } from "./helpers.ts";

const eraseMe = (token: string, json: unknown = { password: PASSWORD }) =>
  api("/v1/me", { method: "DELETE", token, json });
const IP = { "cf-connecting-ip": "203.0.113.77", "user-agent": "ErasureTest/1.0" };

type Audit = {
  items: { action: string; actorId: string; ip: string | null; changes: Record<string, unknown> | null }[];
};

describe("deleting a user account (GDPR erasure)", () => {
  it("is refused, naming the organisations, while the user is their last owner", async () => {
    const t = await newTenant("Only Owner Inc");
    expect((await eraseMe(t.token, { password: "wrong password!" })).status).toBe(403);
    expect((await eraseMe(t.apiKey)).status).toBe(403);
    const res = await eraseMe(t.token);
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as { detail: string; errors: { path: string }[] };
    expect(problem.detail).toContain('"Only Owner Inc"');
    expect(problem.errors).toEqual([expect.objectContaining({ path: t.orgId })]);
    expect((await api("/v1/me", { token: t.token })).status).toBe(200);
  });

  it("erases personal data; audit rows keep pseudonyms and the chain still verifies", async () => {
    const t = await newTenant("Keeper");
    const other = await newTenant("Unrelated");
    const m = await addMember(t.token, t.orgId, "admin");
    // The member acts in the org from a known address, and is invited to another org.
    await body(
      api("/v1/projects", {
        method: "POST",
        token: m.token,
        orgId: t.orgId,
        headers: IP,
        json: { name: "Made by M", slug: "made-by-m" },
      }),
      201,
    );
    await body(
      api("/v1/invites", { method: "POST", token: other.apiKey, json: { email: m.email, role: "viewer" } }),
      201,
    );
    const own = (
      await body<{ items: { orgId: string; role: string }[] }>(api("/v1/orgs", { token: m.token }), 200)
    ).items.find((o) => o.role === "owner")!;
    // Their own organisation (sole owner) blocks erasure until it is deleted; then it goes at once.
    expect((await eraseMe(m.token)).status).toBe(409);
    expect((await deleteOrg({ token: m.token, orgId: own.orgId })).status).toBe(204);

    const before = await body<Audit>(api("/v1/audit", { token: t.apiKey }), 200);
    expect(before.items.some((e) => e.ip === IP["cf-connecting-ip"])).toBe(true);
    expect(before.items.some((e) => e.changes?.email === m.email)).toBe(true);

    expect((await eraseMe(m.token)).status).toBe(204);

    expect((await api("/v1/me", { token: m.token })).status).toBe(401);
    expect((await postSignIn(m.email, PASSWORD)).status).toBe(401);
    const user = await env.DB.prepare("SELECT email, name, password_hash FROM users WHERE id = ?")
      .bind(m.userId)
      .first();
    expect(user).toEqual({
      email: `erased+${m.userId}@users.invalid`,
      name: "Deleted user",
      password_hash: "erased",
    });
    const left = await countOf(
      `SELECT (SELECT count(*) FROM sign_ins WHERE user_id = ?1) + (SELECT count(*) FROM memberships WHERE user_id = ?1)
        + (SELECT count(*) FROM invites WHERE email = ?2) + (SELECT count(*) FROM audit_personal WHERE value = ?2 OR subject_id = ?1)
        + (SELECT count(*) FROM organizations WHERE id = ?3) AS n`,
      m.userId,
      m.email,
      own.orgId,
    );
    expect(left).toBe(0);
    // No copy of the email or the address anywhere in the audit log's own columns.
    const raw = await countOf(
      "SELECT count(*) AS n FROM audit_log WHERE instr(coalesce(changes, '') || coalesce(ip, '') || coalesce(user_agent, ''), ?) > 0 OR ip = ?",
      m.email,
      IP["cf-connecting-ip"],
    );
    expect(raw).toBe(0);

    const after = await body<Audit>(api("/v1/audit", { token: t.apiKey }), 200);
    expect(after.items.length).toBe(before.items.length + 1);
    expect(after.items[0]).toMatchObject({ action: "user.erase", actorId: m.userId });
    const accepted = after.items.find((e) => e.action === "invite.accept")!;
    expect(accepted.actorId).toBe(m.userId);
    expect(accepted.changes?.email).toMatch(/^pii_[0-9a-f]{64}$/);
    expect(
      after.items
        .filter((e) => e.actorId === m.userId)
        .every((e) => e.ip === null || e.ip.startsWith("pii_")),
    ).toBe(true);
    // The owner's own values are untouched.
    expect(after.items.some((e) => e.changes?.owner === t.email)).toBe(true);
    const verdict = await body<{ valid: boolean; checked: number }>(
      api("/v1/audit/verify", { token: t.apiKey }),
      200,
    );
    expect(verdict).toMatchObject({ valid: true, checked: after.items.length });
  });

  it("still detects an edited personal value", async () => {
    const t = await newTenant("Tamper");
    await env.DB.prepare(
      "UPDATE audit_personal SET value = 'someone-else@example.com' WHERE org_id = ? AND value = ?",
    )
      .bind(t.orgId, t.email)
      .run();
    const verdict = await body<{ valid: boolean; reason: string; firstBrokenSeq: number }>(
      api("/v1/audit/verify", { token: t.apiKey }),
      200,
    );
    expect(verdict).toMatchObject({ valid: false, reason: "personal value edited", firstBrokenSeq: 1 });
  });

  it("lets a platform admin erase an account, and no one else", async () => {
    const admin = await newTenant("Platform");
    await env.DB.prepare("UPDATE users SET is_platform_admin = 1 WHERE id = ?").bind(admin.userId).run();
    const t = await newTenant("Requester");
    const m = await addMember(t.token, t.orgId, "member");
    const eraseBy = (token: string, orgId: string, userId: string) =>
      api(`/v1/admin/users/${userId}/erase`, { method: "POST", token, orgId, json: { password: PASSWORD } });
    expect((await eraseBy(t.token, t.orgId, m.userId)).status).toBe(403);
    expect((await eraseBy(admin.token, admin.orgId, "usr_00000000000000000000000000")).status).toBe(404);
    // m still owns the org made at sign-up.
    expect((await eraseBy(admin.token, admin.orgId, m.userId)).status).toBe(409);
  });
});

describe("re-authentication of an account without a password (SSO)", () => {
  const db = () => createDb(env.DB);
  const ssoUser = (id: string): UserRow => ({
    id,
    email: `${id}@example.com`,
    name: "SSO",
    passwordHash: SSO_ONLY_PASSWORD,
    isPlatformAdmin: false,
    createdAt: Date.now(),
  });
  const key = "test-encryption-key-at-least-32-characters!";
  const now = Date.now();

  it("accepts a fresh SSO sign-in only", async () => {
    const user = ssoUser(`usr_sso${now}`);
    const fresh = { id: "sgn_1", method: "sso", createdAt: now - 60_000 };
    await expect(
      confirmIdentity(db(), key, user, { freshSignIn: true }, fresh, now),
    ).resolves.toBeUndefined();
    await expect(
      confirmIdentity(
        db(),
        key,
        user,
        { freshSignIn: true },
        { ...fresh, createdAt: now - 11 * 60_000 },
        now,
      ),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      confirmIdentity(db(), key, user, { freshSignIn: true }, { ...fresh, method: "password" }, now),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(confirmIdentity(db(), key, user, { freshSignIn: true }, null, now)).rejects.toMatchObject({
      code: "forbidden",
    });
    // "sso-only" is not a password anyone can type.
    await expect(
      confirmIdentity(db(), key, user, { password: SSO_ONLY_PASSWORD }, fresh, now),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("a password account needs its password even right after signing in", async () => {
    const t = await newTenant("Password");
    const row = await env.DB.prepare("SELECT * FROM users WHERE id = ?").bind(t.userId).first();
    const user = {
      ...(row as object),
      passwordHash: (row as { password_hash: string }).password_hash,
    } as UserRow;
    const fresh = { id: "sgn_1", method: "sso", createdAt: now };
    await expect(confirmIdentity(db(), key, user, { freshSignIn: true }, fresh, now)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      confirmIdentity(db(), key, user, { password: PASSWORD }, null, now),
    ).resolves.toBeUndefined();
  });
});

describe("invites into a deleted organisation", () => {
  it("cannot be accepted (410)", async () => {
    const t = await newTenant("Gone Soon");
    const email = `late${Date.now()}@example.com`;
    const invite = await body<{ token: string }>(
      api("/v1/invites", { method: "POST", token: t.apiKey, json: { email, role: "member" } }),
      201,
    );
    const joiner = await body<{ token: string }>(
      api("/v1/auth/signup", { method: "POST", json: { email, password: PASSWORD, name: "Late" } }),
      201,
    );
    expect((await deleteOrg(t)).status).toBe(204);
    const res = await api("/v1/invites/accept", {
      method: "POST",
      token: joiner.token,
      json: { token: invite.token },
    });
    expect(res.status).toBe(410);
    expect(await countOf("SELECT count(*) AS n FROM memberships WHERE org_id = ?", t.orgId)).toBe(1);
  });
});
