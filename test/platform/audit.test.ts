import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, countOf, newTenant } from "../helpers.ts";

type Entry = {
  id: string;
  seq: number;
  action: string;
  actorId: string;
  targetId: string | null;
  changes: Record<string, unknown> | null;
  requestId: string | null;
};

describe("audit log", () => {
  it("records every mutation with actor, target, request id and masked secrets", async () => {
    const t = await newTenant();
    const created = await api("/v1/projects", {
      method: "POST",
      token: t.apiKey,
      json: { name: "Audited", description: "d" },
      headers: { "user-agent": "vitest-agent" },
    });
    const project = (await created.json()) as { id: string };
    const page = (await (await api("/v1/audit", { token: t.apiKey })).json()) as { items: Entry[] };
    const entry = page.items.find((e) => e.action === "project.create" && e.targetId === project.id)!;
    expect(entry).toBeTruthy();
    expect(entry.requestId).toBe(created.headers.get("x-request-id"));
    expect(entry.actorId).toMatch(/^key_/);
    // The key-creation row (signup helper) must not contain the key or any secret.
    expect(JSON.stringify(page)).not.toMatch(/shf_[0-9A-Za-z]{43}/);
    const actions = page.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["org.create", "api_key.create", "project.create"]));
  });

  it("filters by action prefix, actor, target and time; exports CSV", async () => {
    const t = await newTenant();
    await api("/v1/projects", { method: "POST", token: t.apiKey, json: { name: '=HYPERLINK("x")' } });
    const keys = (await (await api("/v1/audit?action=api_key.*", { token: t.apiKey })).json()) as {
      items: Entry[];
    };
    expect(keys.items.length).toBeGreaterThan(0);
    expect(keys.items.every((e) => e.action.startsWith("api_key."))).toBe(true);
    const byActor = (await (await api(`/v1/audit?actor=${t.userId}`, { token: t.apiKey })).json()) as {
      items: Entry[];
    };
    expect(byActor.items.every((e) => e.actorId === t.userId)).toBe(true);
    const future = (await (
      await api(`/v1/audit?from=${Date.now() + 60_000}`, { token: t.apiKey })
    ).json()) as { items: Entry[] };
    expect(future.items).toHaveLength(0);
    const csv = await api("/v1/audit?format=csv", { token: t.apiKey });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe(
      "createdAt,seq,actorType,actorId,action,targetType,targetId,ip,userAgent,requestId,changes,hash",
    );
    expect(lines.length).toBeGreaterThanOrEqual(4);
    // Formula injection is neutralised.
    expect(text).not.toMatch(/,=HYPERLINK/);
  });

  it("the hash chain verifies, and detects a tampered, deleted or reordered row", async () => {
    const t = await newTenant();
    for (const name of ["a", "b", "c"])
      await api("/v1/projects", { method: "POST", token: t.apiKey, json: { name } });
    const ok = (await (await api("/v1/audit/verify", { token: t.apiKey })).json()) as {
      valid: boolean;
      checked: number;
    };
    expect(ok).toMatchObject({ valid: true });
    expect(ok.checked).toBeGreaterThanOrEqual(5);

    await env.DB.prepare("UPDATE audit_log SET action = 'project.read' WHERE org_id = ? AND seq = 3")
      .bind(t.orgId)
      .run();
    const tampered = (await (await api("/v1/audit/verify", { token: t.apiKey })).json()) as {
      valid: boolean;
      firstBrokenSeq: number;
    };
    expect(tampered).toMatchObject({ valid: false, firstBrokenSeq: 3 });

    const t2 = await newTenant();
    await api("/v1/projects", { method: "POST", token: t2.apiKey, json: { name: "z" } });
    await env.DB.prepare("DELETE FROM audit_log WHERE org_id = ? AND seq = 2").bind(t2.orgId).run();
    const deleted = (await (await api("/v1/audit/verify", { token: t2.apiKey })).json()) as {
      valid: boolean;
      firstBrokenSeq: number;
    };
    expect(deleted).toMatchObject({ valid: false, firstBrokenSeq: 2 });
  });

  it("concurrent mutations keep one gap-free chain", async () => {
    const t = await newTenant();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api("/v1/projects", { method: "POST", token: t.apiKey, json: { name: `p${i}` } }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const verdict = (await (await api("/v1/audit/verify", { token: t.apiKey })).json()) as {
      valid: boolean;
      checked: number;
    };
    expect(verdict.valid).toBe(true);
    const rows = await env.DB.prepare("SELECT seq FROM audit_log WHERE org_id = ? ORDER BY seq")
      .bind(t.orgId)
      .all<{ seq: number }>();
    expect(rows.results.map((r) => r.seq)).toEqual(rows.results.map((_, i) => i + 1));
  });

  it("a failed mutation writes no audit row (same batch)", async () => {
    const t = await newTenant();
    const before = await countOf("SELECT COUNT(*) AS n FROM audit_log WHERE org_id = ?", t.orgId);
    const dup = await api("/v1/projects", { method: "POST", token: t.apiKey, json: { name: "Default" } });
    expect(dup.status).toBe(409);
    const after = await countOf("SELECT COUNT(*) AS n FROM audit_log WHERE org_id = ?", t.orgId);
    expect(after).toBe(before);
  });

  it("is tenant-scoped", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const page = (await (await api("/v1/audit?limit=1000", { token: a.apiKey })).json()) as {
      items: Entry[];
    };
    expect(JSON.stringify(page)).not.toContain(b.orgId);
  });
});
