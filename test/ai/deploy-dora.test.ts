import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DoraReport } from "../../shared/contract/insight.ts";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { runFiveMinuteCron } from "../insight/cron.ts";
import { createSource, githubSignature, hexHmac, ingest, poll } from "../webhooks/helpers.ts";
import { fakeWorldPerTest } from "./fakes.ts";
import { putAiSettings } from "./helpers.ts";

type Run = { id: string; status: string; outcome: string | null };
const SECRET = "deploy-dora-secret-0123456789abc";

async function monitorRuns(t: Tenant) {
  const res = await api("/v1/ai/workflow-runs?workflow=deploy_monitor", { token: t.apiKey });
  return ((await res.json()) as { items: Run[] }).items;
}

async function projectCfr(t: Tenant) {
  const res = await api(`/v1/projects/${t.projectId}/insights/dora`, { token: t.apiKey });
  expect(res.status).toBe(200);
  return ((await res.json()) as DoraReport).changeFailureRate;
}

fakeWorldPerTest();

describe("deploy monitor → DORA", () => {
  it("an incident inside a deployment's window makes it a failed change in the project's change failure rate", async () => {
    const t = await newTenant();
    await putAiSettings(t, { deployWindowMinutes: 30 });
    const github = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    // Organisation-wide: its incidents carry no project, so DORA's own attribution cannot tie them to
    // the project's deployment; only the deploy monitor's verdict does.
    const sentry = await createSource(t, { provider: "sentry", secret: SECRET });

    const deployment = JSON.stringify({
      deployment_status: {
        state: "success",
        environment: "production",
        updated_at: new Date(Date.now() - 120_000).toISOString(),
      },
      deployment: { id: 5150, sha: "9".repeat(40), ref: "main", environment: "production" },
      repository: { full_name: "octo/shop" },
    });
    const sent = await ingest(github.url, deployment, {
      "x-github-event": "deployment_status",
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": githubSignature(SECRET, deployment),
    });
    expect(sent.status).toBe(202);
    const [watching] = await poll(
      () => monitorRuns(t),
      (items) => items[0]?.status === "watching",
      20_000,
    );
    await runFiveMinuteCron();
    expect((await projectCfr(t)).value).toBe(0);

    // The incident opens while the deployment is watched.
    const incident = JSON.stringify({
      action: "created",
      data: {
        issue: {
          id: "7781",
          title: "PaymentError: card declined for everyone",
          level: "fatal",
          lastSeen: new Date().toISOString(),
          web_url: "https://sentry.io/issues/7781",
        },
      },
    });
    const alerted = await ingest(sentry.url, incident, {
      "sentry-hook-resource": "issue",
      "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
      "request-id": crypto.randomUUID(),
      "sentry-hook-signature": hexHmac(SECRET, incident),
    });
    expect(alerted.status).toBe(202);
    // The monitor's next re-check (the delayed `workflow` message it queued for itself).
    await env.WEBHOOKS.send({ kind: "workflow", orgId: t.orgId, runId: watching!.id });
    const [done] = await poll(
      () => monitorRuns(t),
      (items) => items[0]?.status === "succeeded",
      20_000,
    );
    expect(done?.outcome).toMatch(/^at risk; 1 signal\(s\)/);

    await runFiveMinuteCron();
    const cfr = await projectCfr(t);
    expect(cfr).toMatchObject({ value: 1, sampleSize: 1 });
    // Another organisation's figures are untouched.
    expect((await projectCfr(await newTenant())).sampleSize).toBe(0);
  });
});
