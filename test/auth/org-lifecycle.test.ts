import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../workers/cron/index.ts";
import { api, countOf, newTenant } from "../helpers.ts";
import { addMember, deleteOrg } from "./helpers.ts";

const DAY = 24 * 60 * 60 * 1000;

/** Rows of `orgId` in every table with an org_id column, by table (read from the database itself). */
async function rowsOf(orgId: string): Promise<Record<string, number>> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
  ).all<{ name: string }>();
  const out: Record<string, number> = {};
  for (const { name } of tables.results) {
    const cols = await env.DB.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>();
    if (!cols.results.some((c) => c.name === "org_id")) continue;
    const n = await countOf(`SELECT count(*) AS n FROM "${name}" WHERE org_id = ?`, orgId);
    if (n > 0) out[name] = n;
  }
  out.organizations = await countOf("SELECT count(*) AS n FROM organizations WHERE id = ?", orgId);
  return out;
}

async function runDailyCron(scheduledTime: number) {
  const ctx = createExecutionContext();
  await runScheduled(createScheduledController({ cron: "30 2 * * *", scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("deleting an organisation", () => {
  it("needs an owner's session and password; keys, admins and a wrong password are refused", async () => {
    const t = await newTenant("Guarded");
    const admin = await addMember(t.token, t.orgId, "admin");
    expect((await deleteOrg(t, { password: "wrong password!" })).status).toBe(403);
    expect((await deleteOrg({ token: t.apiKey, orgId: t.orgId })).status).toBe(403);
    expect((await deleteOrg({ token: admin.token, orgId: t.orgId })).status).toBe(403);
    expect((await deleteOrg(t, {})).status).toBe(400);
    expect((await api("/v1/org", { token: t.apiKey })).status).toBe(200);
  });

  it("makes the organisation unusable at once, lists it for restore, and restores it", async () => {
    const t = await newTenant("Doomed");
    const other = await newTenant("Bystander");
    const before = await rowsOf(other.orgId);
    expect((await deleteOrg(t)).status).toBe(204);

    expect((await api("/v1/projects", { token: t.apiKey })).status).toBe(401);
    expect((await api("/v1/projects", { token: t.token, orgId: t.orgId })).status).toBe(404);
    const orgs = (await (await api("/v1/orgs", { token: t.token })).json()) as { items: { orgId: string }[] };
    expect(orgs.items.map((o) => o.orgId)).not.toContain(t.orgId);
    const deleted = (await (await api("/v1/orgs/deleted", { token: t.token })).json()) as {
      items: { orgId: string; purgeAt: number; deletedAt: number }[];
    };
    expect(deleted.items).toEqual([
      { orgId: t.orgId, name: "Doomed", deletedAt: expect.any(Number), purgeAt: expect.any(Number) },
    ]);
    expect(deleted.items[0]!.purgeAt - deleted.items[0]!.deletedAt).toBe(30 * DAY);
    // The other tenant is untouched.
    expect((await api("/v1/projects", { token: other.apiKey })).status).toBe(200);
    expect(await rowsOf(other.orgId)).toEqual(before);
    // Someone else cannot restore it.
    const restoreBy = (token: string) =>
      api("/v1/org/restore", { method: "POST", token, json: { orgId: t.orgId } });
    expect((await restoreBy(other.token)).status).toBe(404);

    expect((await restoreBy(t.token)).status).toBe(204);
    expect((await api("/v1/projects", { token: t.apiKey })).status).toBe(200);
    expect((await api("/v1/projects", { token: t.token, orgId: t.orgId })).status).toBe(200);
    expect((await restoreBy(t.token)).status).toBe(404);
  });

  it("the daily cron erases only organisations past the 30-day window, and nothing of another tenant", async () => {
    const [expired, recent, bystander] = await Promise.all([
      newTenant("Expired"),
      newTenant("Recent"),
      newTenant("Bystander"),
    ]);
    for (const t of [expired, recent, bystander])
      await env.ARTIFACTS.put(`orgs/${t.orgId}/sessions/ses_x/screenshots/shot.png`, "png");
    expect((await deleteOrg(expired)).status).toBe(204);
    expect((await deleteOrg(recent)).status).toBe(204);
    const now = Date.now() + Math.floor(Math.random() * 1e5) * 60_000;
    await env.DB.prepare("UPDATE organizations SET deleted_at = ? WHERE id = ?")
      .bind(now - 31 * DAY, expired.orgId)
      .run();
    await env.DB.prepare("UPDATE organizations SET deleted_at = ? WHERE id = ?")
      .bind(now - 29 * DAY, recent.orgId)
      .run();
    const [expiredBefore, recentBefore, bystanderBefore] = await Promise.all([
      rowsOf(expired.orgId),
      rowsOf(recent.orgId),
      rowsOf(bystander.orgId),
    ]);
    expect(Object.keys(expiredBefore).length).toBeGreaterThan(3);

    await runDailyCron(now);

    expect(await rowsOf(expired.orgId)).toEqual({ organizations: 0 });
    expect(await rowsOf(recent.orgId)).toEqual(recentBefore);
    expect(await rowsOf(bystander.orgId)).toEqual(bystanderBefore);
    expect(await countOf("SELECT count(*) AS n FROM memberships WHERE org_id = ?", expired.orgId)).toBe(0);
    expect(await env.ARTIFACTS.head(`orgs/${expired.orgId}/sessions/ses_x/screenshots/shot.png`)).toBeNull();
    expect(
      await env.ARTIFACTS.head(`orgs/${recent.orgId}/sessions/ses_x/screenshots/shot.png`),
    ).not.toBeNull();
    expect(
      await env.ARTIFACTS.head(`orgs/${bystander.orgId}/sessions/ses_x/screenshots/shot.png`),
    ).not.toBeNull();
    // The owner's account survives its organisation.
    expect((await api("/v1/me", { token: expired.token })).status).toBe(200);
    const runs = await env.DB.prepare(
      "SELECT status FROM job_runs WHERE job = 'org-purge' ORDER BY started_at DESC LIMIT 1",
    ).first<{ status: string }>();
    expect(runs?.status).toBe("succeeded");
  });
});
