import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addMember } from "../auth/helpers.ts";
import { api, newTenant, problem } from "../helpers.ts";
import { acceptInvite } from "../support/invites.ts";

async function json<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

describe("projects", () => {
  it("create, read, update, list with cursor pagination, delete", async () => {
    const t = await newTenant();
    const created: { id: string; slug: string }[] = [];
    for (const name of ["Web Shop", "Mobile App", "Admin Portal"]) {
      const res = await api("/v1/projects", { method: "POST", token: t.apiKey, json: { name } });
      expect(res.status).toBe(201);
      created.push(await res.json());
    }
    expect(created[0]!.slug).toBe("web-shop");
    const dup = await api("/v1/projects", { method: "POST", token: t.apiKey, json: { name: "Web Shop" } });
    expect(dup.status).toBe(409);

    const page1 = await json<{ items: { id: string }[]; nextCursor: string | null }>(
      api("/v1/projects?limit=2", { token: t.apiKey }),
    );
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0]!.id).toBe(created[2]!.id); // newest first
    const page2 = await json<{ items: { id: string }[]; nextCursor: string | null }>(
      api(`/v1/projects?limit=2&cursor=${page1.nextCursor}`, { token: t.apiKey }),
    );
    expect(page2.items.map((p) => p.id)).toEqual([created[0]!.id, t.projectId]);
    expect(page2.nextCursor).toBeNull();

    const patched = await api(`/v1/projects/${created[0]!.id}`, {
      method: "PATCH",
      token: t.apiKey,
      json: { description: "Storefront" },
    });
    expect(await patched.json()).toMatchObject({ name: "Web Shop", description: "Storefront" });
    expect((await api(`/v1/projects/${created[0]!.id}`, { method: "DELETE", token: t.apiKey })).status).toBe(
      204,
    );
    expect((await api(`/v1/projects/${created[0]!.id}`, { token: t.apiKey })).status).toBe(404);
  });

  it("rejects bad pagination input", async () => {
    const t = await newTenant();
    expect((await api("/v1/projects?limit=0", { token: t.apiKey })).status).toBe(400);
    expect((await api("/v1/projects?limit=101", { token: t.apiKey })).status).toBe(400);
    expect((await api("/v1/projects?cursor=;DROP", { token: t.apiKey })).status).toBe(400);
  });
});

describe("tenant isolation: another org's ids are 404", () => {
  it("for every resource route", async () => {
    const a = await newTenant("Alpha");
    const b = await newTenant("Beta");
    const role = await json<{ id: string }>(
      api("/v1/roles", {
        method: "POST",
        token: b.token,
        json: { name: "Auditor", permissions: ["audit:read"] },
      }),
    );
    const invite = await json<{ invite: { id: string } }>(
      api("/v1/invites", {
        method: "POST",
        token: b.token,
        json: { email: "x@example.com", role: "viewer" },
      }),
    );
    const key = await json<{ apiKey: { id: string } }>(
      api("/v1/api-keys", { method: "POST", token: b.token, json: { name: "b" } }),
    );
    const cases: [string, string, unknown?][] = [
      ["GET", `/v1/projects/${b.projectId}`],
      ["PATCH", `/v1/projects/${b.projectId}`, { name: "stolen" }],
      ["DELETE", `/v1/projects/${b.projectId}`],
      ["PATCH", `/v1/members/${b.userId}`, { role: "viewer" }],
      ["DELETE", `/v1/members/${b.userId}`],
      ["PATCH", `/v1/roles/${role.id}`, { permissions: ["org:read"] }],
      ["DELETE", `/v1/roles/${role.id}`],
      ["DELETE", `/v1/invites/${invite.invite.id}`],
      ["DELETE", `/v1/api-keys/${key.apiKey.id}`],
      ["POST", `/v1/api-keys/${key.apiKey.id}/rotate`, {}],
    ];
    for (const [method, path, body] of cases) {
      const res = await api(path, { method, token: a.apiKey, json: body });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    // …and nothing of B's changed.
    expect((await api(`/v1/projects/${b.projectId}`, { token: b.apiKey })).status).toBe(200);
    expect((await api("/v1/projects", { token: b.apiKey })).status).toBe(200);
    const listA = await json<{ items: { id: string }[] }>(api("/v1/projects", { token: a.apiKey }));
    expect(listA.items.map((p) => p.id)).not.toContain(b.projectId);
  });

  it("a user cannot select an org they do not belong to", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const res = await api("/v1/projects", { token: a.token, orgId: b.orgId });
    expect(res.status).toBe(404);
    expect((await api("/v1/projects", { token: a.token, orgId: "not-an-org" })).status).toBe(400);
  });
});

describe("roles and permissions", () => {
  const matrix: [string, string, string, number, unknown][] = [
    ["viewer", "GET", "/v1/projects", 200, undefined],
    ["viewer", "POST", "/v1/projects", 403, { name: "v" }],
    ["viewer", "GET", "/v1/audit", 403, undefined],
    ["viewer", "POST", "/v1/api-keys", 403, { name: "k" }],
    ["member", "POST", "/v1/projects", 201, { name: "m" }],
    ["member", "GET", "/v1/audit", 403, undefined],
    ["member", "POST", "/v1/invites", 403, { email: "z@example.com", role: "viewer" }],
    ["admin", "GET", "/v1/audit", 200, undefined],
    ["admin", "POST", "/v1/api-keys", 201, { name: "k" }],
    ["admin", "POST", "/v1/invites", 403, { email: "z@example.com", role: "owner" }],
    ["admin", "GET", "/v1/usage", 200, undefined],
  ];
  it.each(matrix)("%s: %s %s → %i", async (role, method, path, status, body) => {
    const owner = await newTenant();
    const m = await addMember(owner.token, owner.orgId, role);
    const res = await api(path, { method, token: m.token, orgId: owner.orgId, json: body });
    expect(res.status).toBe(status);
  });

  it("custom roles grant exactly their permission set", async () => {
    const owner = await newTenant();
    const role = await json<{ id: string; permissions: string[] }>(
      api("/v1/roles", {
        method: "POST",
        token: owner.token,
        json: { name: "Auditor", permissions: ["audit:read", "projects:read"] },
      }),
    );
    const m = await addMember(owner.token, owner.orgId, "custom", { customRoleId: role.id });
    expect((await api("/v1/audit", { token: m.token, orgId: owner.orgId })).status).toBe(200);
    expect(
      (await api("/v1/projects", { method: "POST", token: m.token, orgId: owner.orgId, json: { name: "x" } }))
        .status,
    ).toBe(403);
    const me = await json<{ role: string; permissions: string[] }>(
      api("/v1/me", { token: m.token, orgId: owner.orgId }),
    );
    expect(me.role).toBe("custom:Auditor");
    expect(me.permissions).toEqual(["audit:read", "projects:read"]);
    // A held role cannot be deleted; unknown permissions are refused.
    expect((await api(`/v1/roles/${role.id}`, { method: "DELETE", token: owner.token })).status).toBe(409);
    expect(
      (
        await api("/v1/roles", {
          method: "POST",
          token: owner.token,
          json: { name: "Bad", permissions: ["root"] },
        })
      ).status,
    ).toBe(400);
  });

  it("keeps at least one owner; only owners manage owners", async () => {
    const owner = await newTenant();
    const admin = await addMember(owner.token, owner.orgId, "admin");
    const demote = await api(`/v1/members/${owner.userId}`, {
      method: "PATCH",
      token: owner.token,
      json: { role: "admin" },
    });
    expect(demote.status).toBe(409);
    const byAdmin = await api(`/v1/members/${owner.userId}`, {
      method: "DELETE",
      token: admin.token,
      orgId: owner.orgId,
    });
    expect(byAdmin.status).toBe(403);
    const promote = await api(`/v1/members/${admin.userId}`, {
      method: "PATCH",
      token: owner.token,
      json: { role: "owner" },
    });
    expect(promote.status).toBe(200);
    const leave = await api(`/v1/members/${owner.userId}`, { method: "DELETE", token: owner.token });
    expect(leave.status).toBe(204);
  });
});

describe("invites", () => {
  it("accept once; revoked, expired or someone else's invites fail", async () => {
    const owner = await newTenant();
    const m = await addMember(owner.token, owner.orgId, "member");
    const again = await acceptInvite(m.token, m.inviteToken);
    expect(again.status).toBe(410);

    const other = await json<{ token: string }>(
      api("/v1/auth/signup", {
        method: "POST",
        json: { email: `o${Date.now()}@example.com`, password: "other password 1", name: "O" },
      }),
    );
    const inv = await json<{ token: string; invite: { id: string } }>(
      api("/v1/invites", {
        method: "POST",
        token: owner.token,
        json: { email: "someone.else@example.com", role: "viewer" },
      }),
    );
    expect((await acceptInvite(other.token, inv.token)).status).toBe(404);
    expect((await api(`/v1/invites/${inv.invite.id}`, { method: "DELETE", token: owner.token })).status).toBe(
      204,
    );
    const list = await json<{ items: { id: string; status: string }[] }>(
      api("/v1/invites", { token: owner.token }),
    );
    expect(list.items.find((i) => i.id === inv.invite.id)?.status).toBe("revoked");

    const expiring = await json<{ token: string; invite: { id: string } }>(
      api("/v1/invites", {
        method: "POST",
        token: owner.token,
        json: { email: "late@example.com", role: "viewer" },
      }),
    );
    await env.DB.prepare("UPDATE invites SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, expiring.invite.id)
      .run();
    const late = await json<{ token: string }>(
      api("/v1/auth/signup", {
        method: "POST",
        json: { email: "late@example.com", password: "late password 1", name: "L" },
      }),
    );
    expect((await acceptInvite(late.token, expiring.token)).status).toBe(410);
  });
});

describe("organisations", () => {
  it("a user creates a second org and switches with X-Org-Id", async () => {
    const t = await newTenant();
    const res = await api("/v1/orgs", { method: "POST", token: t.token, json: { name: "Side Project" } });
    expect(res.status).toBe(201);
    const org = (await res.json()) as { id: string; plan: string };
    expect(org.plan).toBe("free");
    const orgs = await json<{ items: { orgId: string }[] }>(api("/v1/orgs", { token: t.token }));
    expect(orgs.items.map((o) => o.orgId)).toEqual([t.orgId, org.id]);
    const current = await json<{ id: string }>(api("/v1/org", { token: t.token, orgId: org.id }));
    expect(current.id).toBe(org.id);
    expect((await api("/v1/orgs", { method: "POST", token: t.apiKey, json: { name: "x" } })).status).toBe(
      403,
    );
  });

  it("only a platform admin changes a plan", async () => {
    const t = await newTenant();
    const res = await api(`/v1/admin/orgs/${t.orgId}/plan`, {
      method: "PUT",
      token: t.token,
      json: { plan: "enterprise" },
    });
    expect(res.status).toBe(403);
    await env.DB.prepare("UPDATE users SET is_platform_admin = 1 WHERE id = ?").bind(t.userId).run();
    const ok = await api(`/v1/admin/orgs/${t.orgId}/plan`, {
      method: "PUT",
      token: t.token,
      json: { plan: "enterprise" },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ plan: "enterprise" });
    const usage = await json<{ plan: string; policies: { policy: string; quota: number }[] }>(
      api("/v1/usage", { token: t.apiKey }),
    );
    expect(usage.plan).toBe("enterprise");
    expect(usage.policies.find((p) => p.policy === "default")?.quota).toBe(20000);
    const bad = await api(`/v1/admin/orgs/${t.orgId}/plan`, {
      method: "PUT",
      token: t.token,
      json: { plan: "platinum" },
    });
    expect(bad.status).toBe(400);
    await problem(bad);
  });
});
