import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findStuckRuns, RUN_STUCK_AFTER_MS } from "../../shared/ai/workflows/runs.ts";
import { aiWorkflowRuns } from "../../shared/db/schema/ai.ts";
import { newId } from "../../shared/ids.ts";
import { consumeWebhookMessages } from "../../shared/webhooks/consumer.ts";
import { newTenant, type Tenant, uploadRun } from "../helpers.ts";
import { runFiveMinuteCron } from "../insight/cron.ts";
import {
  createSource,
  githubSignature,
  ingest,
  message,
  poll,
  storeEvent,
  testDeps,
} from "../webhooks/helpers.ts";
import { installFakeWorld, NOTIFY_URL, OPENAI_HOST } from "./fakes.ts";
import { db, failedWorkflowRun, junitReport, putAiSettings, waitForRuns } from "./helpers.ts";

const SECRET = "workflow-queue-secret-0123456789";
let delivery = 0;

function failedPipeline(source: { url: string }, id: number) {
  const body = JSON.stringify(failedWorkflowRun(id, String(id).padStart(40, "0"), { name: "e2e" }));
  return ingest(source.url, body, {
    "x-github-event": "workflow_run",
    "x-github-delivery": `wq-${Date.now()}-${delivery++}`,
    "x-hub-signature-256": githubSignature(SECRET, body),
  });
}

/** A tenant with a failed CI run (so failure triage has clusters) and a notification URL. */
async function triageTenant() {
  const t = await newTenant();
  await putAiSettings(t, { notifyUrl: NOTIFY_URL });
  await uploadRun(t, junitReport({ pay: { file: "tests/pay.spec.ts", fail: true } }));
  return t;
}

const limiter = (orgId: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(orgId));

const world = installFakeWorld();

describe("workflows spend the org's `ai` rate-limit policy", () => {
  it("each AI call takes a token; with the bucket empty the deterministic core runs and says why", async () => {
    const t = await triageTenant();
    const source = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    expect((await failedPipeline(source, 101)).status).toBe(202);
    const [first] = await waitForRuns(t, "failure_triage", 1);
    expect(first?.status).toBe("succeeded");
    expect(first?.tokens).toBeGreaterThan(0);
    expect(world().to(OPENAI_HOST)).toHaveLength(1);
    // The free plan's `ai` bucket holds 20: the workflow's call took one.
    const bucket = (await limiter(t.orgId).usage()).ai;
    expect(bucket?.capacity).toBe(20);
    expect(bucket?.remaining).toBe(19);

    // Empty the bucket (as 19 other AI calls would): the next run makes no model call.
    const drained = await limiter(t.orgId).consume({
      policy: "ai",
      cost: 19,
      capacity: 20,
      refillPerSecond: 20 / 3600,
    });
    expect(drained.allowed).toBe(true);
    expect((await failedPipeline(source, 102)).status).toBe(202);
    const [second] = await waitForRuns(t, "failure_triage", 2);
    expect(second?.status).toBe("succeeded");
    expect(second?.outcome).toMatch(
      /notified; AI rate limit reached \(policy "ai"; a token again in \d+ s\)/,
    );
    expect(second?.tokens).toBe(0);
    expect(world().to(OPENAI_HOST)).toHaveLength(1);
    // The deterministic result was still posted.
    expect(world().to(new URL(NOTIFY_URL).host)).toHaveLength(2);
  });
});

describe("stuck workflow runs", () => {
  /** A run whose event was applied but whose `workflow` message was lost, last touched `ageMs` ago. */
  async function lostRun(t: Tenant, ageMs: number) {
    const source = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    const event = await storeEvent(t, source.id, "github", "workflow_run", { action: "completed" });
    const at = Date.now() - ageMs;
    const id = newId("wfr", at);
    await db().insert(aiWorkflowRuns).values({
      id,
      orgId: t.orgId,
      projectId: t.projectId,
      workflow: "failure_triage",
      eventId: event.id,
      round: 0,
      subject: "octo/shop@lost",
      status: "queued",
      tokens: 0,
      costMicros: 0,
      attempts: 0,
      createdAt: at,
      updatedAt: at,
    });
    return id;
  }

  const runRow = async (orgId: string, id: string) =>
    (
      await db()
        .select()
        .from(aiWorkflowRuns)
        .where(and(eq(aiWorkflowRuns.orgId, orgId), eq(aiWorkflowRuns.id, id)))
    )[0];

  it("the sweeper re-sends a run left queued past the grace period, and it runs once", async () => {
    const t = await triageTenant();
    const fresh = await lostRun(t, 60_000);
    const stuck = await lostRun(t, RUN_STUCK_AFTER_MS + 60_000);
    await runFiveMinuteCron();
    const done = await poll(
      () => runRow(t.orgId, stuck),
      (row) => row?.status === "succeeded",
      20_000,
    );
    expect(done).toMatchObject({ attempts: 1 });
    expect(done?.outcome).toMatch(/notified/);
    // Inside the grace period the run is left alone (its message may still be on its way).
    expect((await runRow(t.orgId, fresh))?.status).toBe("queued");
    // A later sweep has nothing more to send for it: the run stays done, nothing is posted twice.
    const later = await findStuckRuns(db(), Date.now() + RUN_STUCK_AFTER_MS);
    expect(later.map((m) => m.runId)).not.toContain(stuck);
    expect(later.map((m) => m.runId)).toContain(fresh);
    expect(world().to(new URL(NOTIFY_URL).host)).toHaveLength(1);
  });

  it("a re-sent message racing the original does not run the workflow twice", async () => {
    const t = await triageTenant();
    const id = await lostRun(t, RUN_STUCK_AFTER_MS + 60_000);
    const { deps } = testDeps({ fetch: world().fetch });
    const body = { kind: "workflow", orgId: t.orgId, runId: id };
    const both = [message(body), message(body)];
    await consumeWebhookMessages(both, deps);
    expect(both.every((m) => m.acked)).toBe(true);
    expect(await runRow(t.orgId, id)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(world().to(new URL(NOTIFY_URL).host)).toHaveLength(1);
    expect(world().to(OPENAI_HOST)).toHaveLength(1);
  });
});
