import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../shared/db/client.ts";
import { startExport, sweepExports } from "../../shared/tenancy/org-export.ts";
import { addMember, body } from "../auth/helpers.ts";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { waitFor } from "../wait-for.ts";

type Exported = { id: string; status: string; rows: number; pages: number; expiresAt: number | null };
type Document = { format: string; orgId: string; tables: Record<string, Record<string, unknown>[]> };

const start = (t: Tenant) => api("/v1/org/exports", { method: "POST", token: t.token, orgId: t.orgId });
const status = (t: Tenant, id: string) => api(`/v1/org/exports/${id}`, { token: t.token, orgId: t.orgId });
const download = (t: Tenant, id: string) =>
  api(`/v1/org/exports/${id}/download`, { token: t.token, orgId: t.orgId });

/** Waits for the after-response steps; the cron sweep (its clock a minute ahead) finishes what they left. */
async function finished(t: Tenant, id: string): Promise<Exported> {
  const read = async () => body<Exported>(status(t, id), 200);
  const seen = await waitFor(read, { until: (e) => e.status !== "running", timeoutMs: 5_000 });
  if (seen.status !== "running") return seen;
  await sweepExports({ db: createDb(env.DB), artifacts: env.ARTIFACTS }, Date.now() + 120_000);
  return read();
}

async function seed(t: Tenant, name: string) {
  await body(
    api("/v1/projects", { method: "POST", token: t.apiKey, json: { name, slug: name.toLowerCase() } }),
    201,
  );
  await body(
    api("/v1/invites", {
      method: "POST",
      token: t.apiKey,
      json: { email: `${name}@example.com`, role: "member" },
    }),
    201,
  );
}

describe("organisation export", () => {
  it("exports the org's rows as one JSON document, without secrets or another org's rows", async () => {
    const a = await newTenant("Exporter");
    const b = await newTenant("Neighbour");
    await seed(a, "Alphaproject");
    await seed(b, "Bravoproject");
    await addMember(a.token, a.orgId, "member");

    const started = await body<Exported>(start(a), 202);
    expect(started).toMatchObject({ id: expect.stringMatching(/^oex_/), status: "running" });
    const done = await finished(a, started.id);
    expect(done).toMatchObject({ status: "succeeded", expiresAt: expect.any(Number) });
    expect(done.rows).toBeGreaterThan(5);

    const res = await download(a, started.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(`shifty-export-${a.orgId}`);
    const text = await res.text();
    const doc = JSON.parse(text) as Document;
    expect(doc).toMatchObject({ format: "shifty.org-export", orgId: a.orgId });
    expect(doc.tables.organizations).toEqual([expect.objectContaining({ id: a.orgId, name: "Exporter" })]);
    expect(doc.tables.projects!.map((p) => p.name)).toContain("Alphaproject");
    expect(doc.tables.memberships).toHaveLength(2);
    expect(doc.tables.memberships!.map((m) => m.email)).toContain(a.email);
    expect(doc.tables.invites!.map((i) => i.email)).toContain("alphaproject@example.com");
    expect(doc.tables.api_keys!.length).toBeGreaterThan(0);
    expect(doc.tables.audit_log!.length).toBeGreaterThan(0);
    // Every row of every table belongs to the org; the other org appears nowhere.
    for (const [table, rows] of Object.entries(doc.tables))
      for (const row of rows) if ("org_id" in row) expect(row.org_id, table).toBe(a.orgId);
    expect(text).not.toContain(b.orgId);
    expect(text).not.toContain("Bravoproject");
    // Secrets: neither the columns nor their values.
    for (const column of ["password_hash", "key_hash", "token_hash", "nonce", "secret_sealed"])
      expect(text).not.toContain(`"${column}"`);
    const secrets = await env.DB.prepare(
      "SELECT key_hash AS v FROM api_keys WHERE org_id = ?1 UNION ALL SELECT token_hash FROM invites WHERE org_id = ?1 UNION ALL SELECT password_hash FROM users WHERE id = ?2",
    )
      .bind(a.orgId, a.userId)
      .all<{ v: string }>();
    expect(secrets.results.length).toBeGreaterThanOrEqual(3);
    for (const { v } of secrets.results) expect(text).not.toContain(v);

    const audit = await body<{ items: { action: string }[] }>(
      api("/v1/audit?action=org.export*", { token: a.apiKey }),
      200,
    );
    expect(audit.items.map((e) => e.action).sort()).toEqual(["org.export", "org.export.download"]);
  });

  it("is tenant-scoped, needs org:manage, and runs one export at a time", async () => {
    const a = await newTenant("Scoped");
    const b = await newTenant("Prying");
    const ongoing = await startExport(createDb(env.DB), a.orgId, a.userId, {
      actor: { type: "user", id: a.userId },
    });
    // One running export per org: a second start conflicts until it ends.
    const second = await start(a);
    expect(second.status).toBe(409);
    expect(second.headers.get("content-type")).toContain("application/problem+json");
    // Another org's id reads as unknown.
    expect((await status(b, ongoing.id)).status).toBe(404);
    expect((await download(b, ongoing.id)).status).toBe(404);
    expect((await download(a, ongoing.id)).status).toBe(409);
    const viewer = await addMember(a.token, a.orgId, "viewer");
    expect((await start({ ...a, token: viewer.token })).status).toBe(403);
    expect((await api("/v1/org/exports/oex_x", { token: a.token, orgId: a.orgId })).status).toBe(400);

    await sweepExports({ db: createDb(env.DB), artifacts: env.ARTIFACTS }, Date.now() + 120_000);
    expect((await body<Exported>(status(a, ongoing.id), 200)).status).toBe("succeeded");
    const again = await body<Exported>(start(a), 202);
    expect((await finished(a, again.id)).status).toBe("succeeded");
    const list = await body<{ items: Exported[] }>(
      api("/v1/org/exports", { token: a.token, orgId: a.orgId }),
      200,
    );
    expect(list.items.map((e) => e.id)).toEqual([again.id, ongoing.id]);
  });

  it("pages a large table through several R2 objects and loses no row", async () => {
    const a = await newTenant("Paged");
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 450)
       INSERT INTO projects (id, org_id, name, slug, created_at, updated_at)
       SELECT printf('prj_bulk%018d', i), ?1, 'Bulk ' || i, 'bulk-' || i, 1, 1 FROM n`,
    )
      .bind(a.orgId)
      .run();
    const started = await body<Exported>(start(a), 202);
    expect((await finished(a, started.id)).status).toBe("succeeded");
    const objects = await env.ARTIFACTS.list({ prefix: `exports/${a.orgId}/${started.id}/` });
    const doc = (await (await download(a, started.id)).json()) as Document;
    expect(doc.tables.projects).toHaveLength(451);
    expect(new Set(doc.tables.projects!.map((p) => p.id)).size).toBe(451);
    // 451 projects at 200 a page: three objects for that table alone.
    const section = String(Object.keys(doc.tables).indexOf("projects")).padStart(3, "0");
    expect(objects.objects.filter((o) => o.key.includes(`/${section}/`))).toHaveLength(3);
  });

  it("deletes a week-old export's file and answers 410 for it", async () => {
    const a = await newTenant("Expiring");
    const started = await body<Exported>(start(a), 202);
    await finished(a, started.id);
    const prefix = `exports/${a.orgId}/${started.id}/`;
    expect((await env.ARTIFACTS.list({ prefix })).objects.length).toBeGreaterThan(0);
    await sweepExports({ db: createDb(env.DB), artifacts: env.ARTIFACTS }, Date.now() + 8 * 24 * 3600_000);
    expect((await env.ARTIFACTS.list({ prefix })).objects).toHaveLength(0);
    expect((await body<Exported>(status(a, started.id), 200)).status).toBe("expired");
    expect((await download(a, started.id)).status).toBe(410);
  });
});
