import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addMember } from "../auth/helpers.ts";
import { api, countOf, newTenant, type Tenant } from "../helpers.ts";
import { acceptInvite } from "../support/invites.ts";

/**
 * Privilege escalation paths found by an attack run: each case here answered 200 before the fix in
 * shared/tenancy/role-assignment.ts, shared/tenancy/api-key-cache.ts and shared/tenancy/invites.ts.
 */

async function json<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

let n = 0;
/** The org under test: invited users also own a personal org, so every call names this one. */
let org = "";
const call = (path: string, init: Parameters<typeof api>[1] = {}) => api(path, { orgId: org, ...init });
async function tenant() {
  const t = await newTenant();
  org = t.orgId;
  return t;
}
async function invite(by: string, email: string, role: string, extra: Record<string, unknown> = {}) {
  return call("/v1/invites", { method: "POST", token: by, json: { email, role, ...extra } });
}

async function customRole(owner: Tenant, permissions: string[]) {
  const res = await call("/v1/roles", {
    method: "POST",
    token: owner.token,
    json: { name: `r${Date.now()}${n++}`, permissions },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function mintKey(token: string, permissions?: string[]) {
  const res = await call("/v1/api-keys", { method: "POST", token, json: { name: "k", permissions } });
  return { status: res.status, key: res.status === 201 ? ((await res.json()) as { key: string }).key : "" };
}

async function roleOf(owner: Tenant, userId: string) {
  const page = await json<{ items: { userId: string; role: string }[] }>(
    call("/v1/members", { token: owner.token }),
  );
  return page.items.find((m) => m.userId === userId)?.role ?? null;
}

describe("H1: members:manage is not a path to admin", () => {
  it("a members:manage role cannot raise itself, promote others or hand out richer custom roles", async () => {
    const owner = await tenant();
    const managerRole = await customRole(owner, ["members:read", "members:manage"]);
    const richRole = await customRole(owner, ["members:read", "projects:write", "keys:manage"]);
    const manager = await addMember(owner.token, owner.orgId, "custom", { customRoleId: managerRole });
    const viewer = await addMember(owner.token, owner.orgId, "viewer");
    const patch = (userId: string, body: unknown) =>
      call(`/v1/members/${userId}`, { method: "PATCH", token: manager.token, json: body });

    expect((await patch(manager.userId, { role: "admin" })).status).toBe(403);
    expect((await patch(viewer.userId, { role: "admin" })).status).toBe(403);
    expect((await patch(viewer.userId, { role: "custom", customRoleId: richRole })).status).toBe(403);
    expect((await invite(manager.token, "x@example.com", "admin")).status).toBe(403);
    expect((await invite(manager.token, "x@example.com", "custom", { customRoleId: richRole })).status).toBe(
      403,
    );
    expect(await roleOf(owner, manager.userId)).toBe("custom");
    expect(await roleOf(owner, viewer.userId)).toBe("viewer");
    // It cannot act on a viewer either: a viewer reads projects, which the manager cannot.
    expect((await patch(viewer.userId, { role: "custom", customRoleId: managerRole })).status).toBe(403);
    // Within its own permissions it still manages: inviting with its own role is fine.
    const same = await invite(manager.token, "w@example.com", "custom", { customRoleId: managerRole });
    expect(same.status).toBe(201);
  });

  it("a key scoped to members:manage cannot make anyone admin, nor act on an admin", async () => {
    const owner = await tenant();
    const admin = await addMember(owner.token, owner.orgId, "admin");
    const viewer = await addMember(owner.token, owner.orgId, "viewer");
    const { key } = await mintKey(owner.token, ["members:read", "members:manage"]);
    const patch = (userId: string, role: string) =>
      call(`/v1/members/${userId}`, { method: "PATCH", token: key, json: { role } });
    expect((await patch(viewer.userId, "admin")).status).toBe(403);
    expect((await patch(admin.userId, "viewer")).status).toBe(403);
    expect((await call(`/v1/members/${admin.userId}`, { method: "DELETE", token: key })).status).toBe(403);
    expect(await roleOf(owner, admin.userId)).toBe("admin");
    // An admin still promotes: admin holds every permission.
    const byAdmin = await call(`/v1/members/${viewer.userId}`, {
      method: "PATCH",
      token: admin.token,
      json: { role: "admin" },
    });
    expect(byAdmin.status).toBe(200);
  });
});

describe("M1: a key is bounded by its creator's current permissions", () => {
  it("a demoted admin's key loses admin powers; a removed admin's keys stop working", async () => {
    const owner = await tenant();
    const admin = await addMember(owner.token, owner.orgId, "admin");
    const { key } = await mintKey(admin.token);
    expect((await mintKey(key, ["keys:manage"])).status).toBe(201);

    const demote = await call(`/v1/members/${admin.userId}`, {
      method: "PATCH",
      token: owner.token,
      json: { role: "viewer" },
    });
    expect(demote.status).toBe(200);
    // Still a key, now with a viewer's reach: reads yes, minting keys and inviting admins no.
    expect((await call("/v1/projects", { token: key })).status).toBe(200);
    expect((await mintKey(key, ["keys:manage"])).status).toBe(403);
    expect((await invite(key, "y@example.com", "admin")).status).toBe(403);

    const again = await call(`/v1/members/${admin.userId}`, {
      method: "PATCH",
      token: owner.token,
      json: { role: "admin" },
    });
    expect(again.status).toBe(200);
    const child = await mintKey(key, ["projects:read"]);
    expect(child.status).toBe(201);
    expect((await call(`/v1/members/${admin.userId}`, { method: "DELETE", token: owner.token })).status).toBe(
      204,
    );
    for (const k of [key, child.key]) {
      expect((await call("/v1/projects", { token: k })).status).toBe(401);
      expect((await mintKey(k)).status).toBe(401);
      expect((await invite(k, "z@example.com", "admin")).status).toBe(401);
    }
    const keys = await json<{ items: { id: string; status: string }[] }>(
      call("/v1/api-keys", { token: owner.token }),
    );
    expect(keys.items.filter((k) => k.status === "revoked").length).toBeGreaterThanOrEqual(2);
  });

  it("a key mints keys only with scopes it holds", async () => {
    const owner = await tenant();
    const { key } = await mintKey(owner.token, ["keys:manage", "projects:read"]);
    expect((await mintKey(key, ["projects:write"])).status).toBe(403);
    const minted = await mintKey(key);
    expect(minted.status).toBe(201);
    expect(
      (await call("/v1/projects", { method: "POST", token: minted.key, json: { name: "no" } })).status,
    ).toBe(403);
  });
});

describe("M1b: a person's new key holds at most that person's permissions (the dashboard's scope picker)", () => {
  it("a custom role with keys:manage cannot grant beyond its role; within it the scopes and expiry stick", async () => {
    const owner = await tenant();
    const role = await customRole(owner, ["keys:manage", "runs:read", "projects:read"]);
    const member = await addMember(owner.token, owner.orgId, "custom", { customRoleId: role });
    const create = (json: Record<string, unknown>) =>
      call("/v1/api-keys", { method: "POST", token: member.token, json: { name: "k", ...json } });

    const beyond = await create({ permissions: ["runs:read", "heal:write", "org:manage"] });
    expect(beyond.status).toBe(403);
    const detail = ((await beyond.json()) as { detail: string }).detail;
    expect(detail).toContain("heal:write");
    expect(detail).toContain("org:manage");
    expect(detail).not.toContain("runs:read");

    const expiresAt = Date.now() + 7 * 86_400_000;
    const scoped = await create({ permissions: ["runs:read"], expiresAt });
    expect(scoped.status).toBe(201);
    const made = (await scoped.json()) as {
      key: string;
      apiKey: { permissions: string[]; expiresAt: number };
    };
    expect(made.apiKey).toMatchObject({ permissions: ["runs:read"], expiresAt });
    expect((await call(`/v1/projects/${owner.projectId}/runs`, { token: made.key })).status).toBe(200);
    expect((await call("/v1/projects", { token: made.key })).status).toBe(403);

    const full = (await (await create({})).json()) as { apiKey: { permissions: string[] } };
    expect(full.apiKey.permissions.sort()).toEqual(["keys:manage", "projects:read", "runs:read"]);
    expect((await create({ expiresAt: Date.now() - 1000 })).status).toBe(422);
  });
});

describe("M2: the at-least-one-owner rule holds on every path", () => {
  it("accepting an invite never downgrades (the sole owner stays owner)", async () => {
    const owner = await tenant();
    const admin = await addMember(owner.token, owner.orgId, "admin");
    const inv = await json<{ token: string }>(invite(admin.token, owner.email, "viewer"));
    const accepted = await acceptInvite(owner.token, inv.token);
    expect(accepted.status).toBe(200);
    expect(await json<{ role: string }>(accepted)).toMatchObject({ role: "owner" });
    expect(await roleOf(owner, owner.userId)).toBe("owner");
    expect(
      (await call("/v1/projects", { method: "POST", token: owner.token, json: { name: "Still" } })).status,
    ).toBe(201);
  });

  it("an invite to a richer role is an upgrade", async () => {
    const owner = await tenant();
    const viewer = await addMember(owner.token, owner.orgId, "viewer");
    const inv = await json<{ token: string }>(invite(owner.token, viewer.email, "member"));
    const res = await acceptInvite(viewer.token, inv.token);
    expect(await json<{ role: string }>(res)).toMatchObject({ role: "member" });
  });

  it("role change, removal and self-leave keep the sole owner", async () => {
    const owner = await tenant();
    const admin = await addMember(owner.token, owner.orgId, "admin");
    const self = `/v1/members/${owner.userId}`;
    expect((await call(self, { method: "PATCH", token: owner.token, json: { role: "admin" } })).status).toBe(
      409,
    );
    expect((await call(self, { method: "DELETE", token: owner.token })).status).toBe(409);
    expect((await call(self, { method: "PATCH", token: admin.token, json: { role: "viewer" } })).status).toBe(
      403,
    );
    expect((await call(self, { method: "DELETE", token: admin.token })).status).toBe(403);
    expect(await roleOf(owner, owner.userId)).toBe("owner");
  });
});

describe("the last two owners acting at once still leave one owner", () => {
  const owners = async () =>
    (
      await env.DB.prepare("SELECT count(*) AS n FROM memberships WHERE org_id = ? AND role = 'owner'")
        .bind(org)
        .first<{ n: number }>()
    )?.n;

  it("two owners demoting each other concurrently: one 200, one 409, one owner left", async () => {
    const a = await tenant();
    const b = await addMember(a.token, a.orgId, "owner");
    const [ab, ba] = await Promise.all([
      call(`/v1/members/${b.userId}`, { method: "PATCH", token: a.token, json: { role: "admin" } }),
      call(`/v1/members/${a.userId}`, { method: "PATCH", token: b.token, json: { role: "admin" } }),
    ]);
    expect([ab.status, ba.status].sort()).toEqual([200, 409]);
    expect(await owners()).toBe(1);
  });

  it("two owners removing each other, or both leaving, concurrently: one owner is left", async () => {
    for (const mode of ["remove", "leave"] as const) {
      const a = await tenant();
      const b = await addMember(a.token, a.orgId, "owner");
      const target = (self: string, other: string) => (mode === "leave" ? self : other);
      const [ra, rb] = await Promise.all([
        call(`/v1/members/${target(a.userId, b.userId)}`, { method: "DELETE", token: a.token }),
        call(`/v1/members/${target(b.userId, a.userId)}`, { method: "DELETE", token: b.token }),
      ]);
      expect([ra.status, rb.status].sort()).toEqual([204, 409]);
      expect(await owners()).toBe(1);
      // The refused batch rolled back whole: one audit row for the one change that happened.
      const audited = await countOf(
        "SELECT count(*) AS n FROM audit_log WHERE org_id = ? AND action IN ('member.remove', 'member.leave')",
        org,
      );
      expect(audited).toBe(1);
    }
  });

  it("the database itself refuses to drop the last owner, but deleting the organisation is not blocked", async () => {
    const a = await tenant();
    const demote = env.DB.prepare("UPDATE memberships SET role = 'admin' WHERE org_id = ? AND user_id = ?");
    await expect(demote.bind(org, a.userId).run()).rejects.toThrow(/last_owner/);
    const drop = env.DB.prepare("DELETE FROM memberships WHERE org_id = ? AND user_id = ?");
    await expect(drop.bind(org, a.userId).run()).rejects.toThrow(/last_owner/);
    expect(await owners()).toBe(1);
    await env.DB.prepare("DELETE FROM organizations WHERE id = ?").bind(org).run();
    expect(await owners()).toBe(0);
  });
});

describe("deleting a project needs projects:delete", () => {
  it("a member cannot delete a project; an admin and a custom role holding it can", async () => {
    const owner = await tenant();
    const member = await addMember(owner.token, owner.orgId, "member");
    const del = (token: string, id: string) => call(`/v1/projects/${id}`, { method: "DELETE", token });
    expect((await del(member.token, owner.projectId)).status).toBe(403);
    expect((await call(`/v1/projects/${owner.projectId}`, { token: owner.token })).status).toBe(200);

    const deleter = await addMember(owner.token, owner.orgId, "custom", {
      customRoleId: await customRole(owner, ["projects:read", "projects:delete"]),
    });
    const made = await json<{ id: string }>(
      call("/v1/projects", { method: "POST", token: owner.token, json: { name: "Doomed" } }),
    );
    expect((await del(deleter.token, made.id)).status).toBe(204);
    const admin = await addMember(owner.token, owner.orgId, "admin");
    expect((await del(admin.token, owner.projectId)).status).toBe(204);
  });
});
