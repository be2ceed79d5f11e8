import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DoraReport } from "../../shared/contract/insight.ts";
import { bandOf, computeDora } from "../../shared/insight/dora.ts";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { createSource, githubSignature, hexHmac, ingest, poll } from "../webhooks/helpers.ts";
import { runFiveMinuteCron } from "./cron.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FROM = Date.UTC(2026, 9, 5);
const TO = FROM + 28 * DAY;
const at = (day: number, hour: number) => FROM + day * DAY + hour * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The scenario, with what each deployment should count as written next to it: the expected figures
 * are aggregated from these annotations below, not from the production code.
 */
const DEPLOYS = [
  { id: 1, repo: "acme/web", sha: "c1", env: "production", state: "success", t: at(0, 14), failed: false },
  { id: 2, repo: "acme/api", sha: "c2", env: "production", state: "success", t: at(2, 11), failed: false },
  { id: 3, repo: "acme/web", sha: "c3", env: "production", state: "failure", t: at(4, 9), failed: true },
  { id: 4, repo: "acme/web", sha: "c4", env: "production", state: "success", t: at(7, 10), failed: true }, // incident 2 h later
  { id: 5, repo: "acme/web", sha: "c5", env: "production", state: "success", t: at(14, 10), failed: true }, // rolled back by 6
  { id: 6, repo: "acme/web", sha: "c4", env: "production", state: "success", t: at(15, 10), failed: false },
  { id: 8, repo: "acme/web", sha: "c8", env: "staging", state: "success", t: at(9, 10), failed: false }, // not production
  { id: 7, repo: "acme/other", sha: "c9", env: "production", state: "success", t: at(19, 10), failed: false }, // org only
];
const COMMITS = [
  { repo: "acme/web", sha: "c1", t: at(0, 10), lead: 4 },
  { repo: "acme/web", sha: "c4", t: at(7, 8), lead: 2 },
  { repo: "acme/web", sha: "c5", t: at(14, 6), lead: 4 },
];
const PR = { repo: "acme/api", number: 7, sha: "c2", merged: at(2, 9), lead: 2 };
const INCIDENTS = [
  { provider: "datadog", id: "dd-1", opened: at(7, 12), resolved: at(7, 15) },
  { provider: "sentry", id: "42", opened: at(20, 11), resolved: at(20, 11.5) },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function github(secret: string, url: string, event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const res = await ingest(url, body, {
    "x-github-event": event,
    "x-github-delivery": crypto.randomUUID(),
    "x-hub-signature-256": githubSignature(secret, body),
  });
  expect(res.status).toBe(202);
}

type Source = { url: string; secret: string };

/** A Datadog monitor's alert transition ("Triggered", "Recovered") at `time`, sent as Datadog does. */
async function datadog(source: Source, alertId: string, transition: string, time: number) {
  const body = JSON.stringify({
    id: `${alertId}-${transition}`,
    alert_id: alertId,
    alert_transition: transition,
    last_updated: time,
  });
  expect((await ingest(source.url, body, { "x-shifty-token": source.secret })).status).toBe(202);
}

/** A Sentry issue event ("created", "resolved") last seen at `time`, signed as Sentry does. */
async function sentry(source: Source, issueId: string, action: string, time: number) {
  const body = JSON.stringify({
    action,
    data: { issue: { id: issueId, title: "TypeError", lastSeen: iso(time) } },
  });
  const res = await ingest(source.url, body, {
    "sentry-hook-resource": "issue",
    "request-id": crypto.randomUUID(),
    "sentry-hook-signature": hexHmac(source.secret, body),
  });
  expect(res.status).toBe(202);
}

async function sendScenario(t: Tenant) {
  const web = await createSource(t, { provider: "github", projectId: t.projectId });
  const orgWide = await createSource(t, { provider: "github" });
  const datadogSource = await createSource(t, { provider: "datadog", projectId: t.projectId });
  const sentrySource = await createSource(t, { provider: "sentry", projectId: t.projectId });
  const mapped = await api(`/v1/projects/${t.projectId}/repositories`, {
    method: "PUT",
    token: t.apiKey,
    json: { repositories: ["acme/api"] },
  });
  expect(mapped.status).toBe(200);
  const sourceOf = (repo: string) => (repo === "acme/web" ? web : orgWide);
  for (const c of COMMITS) {
    const s = sourceOf(c.repo);
    await github(s.secret, s.url, "push", {
      ref: "refs/heads/main",
      repository: { full_name: c.repo },
      commits: [{ id: c.sha, message: "change", timestamp: iso(c.t), author: { username: "dev" } }],
    });
  }
  await github(orgWide.secret, orgWide.url, "pull_request", {
    action: "closed",
    repository: { full_name: PR.repo },
    pull_request: {
      number: PR.number,
      merged: true,
      state: "closed",
      head: { ref: "feature", sha: PR.sha },
      created_at: iso(PR.merged - DAY),
      merged_at: iso(PR.merged),
      updated_at: iso(PR.merged),
    },
  });
  for (const d of DEPLOYS) {
    const s = sourceOf(d.repo);
    await github(s.secret, s.url, "deployment_status", {
      repository: { full_name: d.repo },
      deployment: { id: d.id, sha: d.sha, ref: "main", environment: d.env },
      deployment_status: { state: d.state, environment: d.env, updated_at: iso(d.t) },
    });
  }
  const dd = INCIDENTS[0]!;
  await datadog(datadogSource, dd.id, "Triggered", dd.opened);
  await datadog(datadogSource, dd.id, "Recovered", dd.resolved);
  const se = INCIDENTS[1]!;
  await sentry(sentrySource, se.id, "created", se.opened);
  await sentry(sentrySource, se.id, "resolved", se.resolved);
}

const pending = async (orgId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_events WHERE org_id = ? AND status <> 'processed'")
    .bind(orgId)
    .first<{ n: number }>())!.n;

async function dora(t: Tenant, path: string) {
  const res = await api(`${path}?from=${FROM}&to=${TO}`, { token: t.apiKey });
  expect(res.status).toBe(200);
  return (await res.json()) as DoraReport;
}

describe("DORA four keys from signed webhooks", () => {
  it("counts deployments, lead times, failures and restores per project and per org", async () => {
    const t = await newTenant();
    await sendScenario(t);
    expect(
      await poll(
        () => pending(t.orgId),
        (n) => n === 0,
        20_000,
      ),
    ).toBe(0);
    // The endpoints read the rollups: nothing until the cron has run, everything after one run.
    const early = await dora(t, `/v1/projects/${t.projectId}/insights/dora`);
    expect(early.deploymentFrequency).toMatchObject({ value: null, sampleSize: 0 });
    await runFiveMinuteCron();

    const prod = DEPLOYS.filter((d) => d.env === "production");
    const project = prod.filter((d) => d.repo !== "acme/other");
    const ok = project.filter((d) => d.state === "success");
    const leads = [...COMMITS.map((c) => c.lead), PR.lead];
    const restores = INCIDENTS.map((i) => (i.resolved - i.opened) / HOUR);

    const p = await dora(t, `/v1/projects/${t.projectId}/insights/dora`);
    expect(p.deploymentFrequency).toMatchObject({
      value: ok.length / 4,
      unit: "deployments_per_week",
      sampleSize: ok.length,
      band: "high",
    });
    expect(p.leadTimeForChanges).toMatchObject({
      value: median(leads),
      unit: "hours",
      sampleSize: leads.length,
      band: "elite",
    });
    const failed = project.filter((d) => d.failed).length;
    expect(p.changeFailureRate).toMatchObject({
      value: failed / project.length,
      unit: "ratio",
      sampleSize: project.length,
      band: "low",
    });
    expect(p.timeToRestore).toMatchObject({
      value: median(restores),
      unit: "hours",
      sampleSize: 2,
      band: "high",
    });
    expect(p.deploymentFrequency.series.map((w) => w.sampleSize)).toEqual([2, 1, 2, 0]);
    expect(p.timeToRestore.series.map((w) => w.value)).toEqual([null, 3, 0.5, null]);

    const o = await dora(t, "/v1/insights/dora");
    const orgOk = prod.filter((d) => d.state === "success");
    expect(o.deploymentFrequency).toMatchObject({ value: orgOk.length / 4, sampleSize: orgOk.length });
    expect(o.changeFailureRate).toMatchObject({
      value: Math.round((failed / prod.length) * 1e4) / 1e4,
      sampleSize: prod.length,
    });

    // Another organisation sees none of it, and cannot name this project.
    const other = await newTenant("Other");
    const empty = await dora(other, "/v1/insights/dora");
    expect(empty.deploymentFrequency).toMatchObject({ value: null, band: null, sampleSize: 0 });
    const foreign = await api(`/v1/projects/${t.projectId}/insights/dora`, { token: other.apiKey });
    expect(foreign.status).toBe(404);
  });

  it("refuses a malformed or inverted window with a 400", async () => {
    const t = await newTenant();
    for (const q of [`from=${TO}&to=${FROM}`, "from=abc", `from=0&to=${400 * DAY}`]) {
      const res = await api(`/v1/insights/dora?${q}`, { token: t.apiKey });
      expect(res.status, q).toBe(400);
    }
  });

  it("keeps a repository in one project", async () => {
    const t = await newTenant();
    const second = await api("/v1/projects", { method: "POST", token: t.apiKey, json: { name: "Second" } });
    const { id } = (await second.json()) as { id: string };
    const put = (projectId: string) =>
      api(`/v1/projects/${projectId}/repositories`, {
        method: "PUT",
        token: t.apiKey,
        json: { repositories: ["acme/web"] },
      });
    expect((await put(t.projectId)).status).toBe(200);
    expect((await put(id)).status).toBe(409);
    const bad = await api(`/v1/projects/${t.projectId}/repositories`, {
      method: "PUT",
      token: t.apiKey,
      json: { repositories: ["no slash"] },
    });
    expect(bad.status).toBe(400);
  });
});

describe("DORA bands and edge cases", () => {
  it("bands each key at the documented thresholds", () => {
    expect([7, 1, 0.25, 0.2].map((v) => bandOf("df", v))).toEqual(["elite", "high", "medium", "low"]);
    expect([23, 168, 720, 721].map((v) => bandOf("lt", v))).toEqual(["elite", "high", "medium", "low"]);
    expect([0.05, 0.1, 0.15, 0.16].map((v) => bandOf("cfr", v))).toEqual(["elite", "high", "medium", "low"]);
    expect([0.5, 23, 168, 169].map((v) => bandOf("ttr", v))).toEqual(["elite", "high", "medium", "low"]);
  });

  it("reports null values and bands without samples, and ignores changes deployed before they existed", () => {
    const r = computeDora({
      from: FROM,
      to: TO,
      deployments: [{ commitSha: "x", state: "success", at: at(1, 0) }],
      changes: [{ kind: "commit", commitSha: "x", authoredAt: at(2, 0), mergedAt: null }],
      incidents: [{ openedAt: at(3, 0), resolvedAt: null }],
    });
    expect(r.leadTimeForChanges).toMatchObject({ value: null, band: null, sampleSize: 0 });
    expect(r.timeToRestore).toMatchObject({ value: null, band: null, sampleSize: 0 });
    expect(r.changeFailureRate).toMatchObject({ value: 0, sampleSize: 1 });
    expect(r.deploymentFrequency.series).toHaveLength(4);
  });
});
