import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { weeklyHealRetrainJob } from "../../workers/cron/heal-retrain.ts";
import type { Env } from "../../workers/env.ts";
import { newTenant } from "../helpers.ts";
import { postFeedback, postHeal } from "./heal-requests.ts";

const target = { tag: "button", attributes: { id: "save-1" }, text: "Save" };
const candidates = [
  { tag: "button", attributes: { id: "save-2" }, text: "Save" },
  { tag: "a", attributes: { href: "/" }, text: "Home" },
];

describe("weekly retraining (cron)", () => {
  it("retrains each org with new feedback once per week, recorded as a heal-retrain job run", async () => {
    const t = await newTenant();
    for (let i = 0; i < 3; i++) {
      const heal = (await (await postHeal(t.token, { target, candidates })).json()) as { attemptId: string };
      const feedback = await postFeedback(t.token, heal.attemptId, { accepted: true });
      expect(feedback.status).toBe(200);
    }
    const monday = Date.UTC(2026, 2, 2, 3, 0);
    const run = () => weeklyHealRetrainJob.run(env as Env, createExecutionContext(), monday);

    const first = await run();
    expect(first.counts?.orgs).toBeGreaterThanOrEqual(1);
    expect(first.counts?.skipped).toBeGreaterThanOrEqual(1); // 3 examples are too few to fit a model
    const rows = () =>
      env.DB.prepare("SELECT run_key, status FROM job_runs WHERE org_id = ? AND job = 'heal-retrain'")
        .bind(t.orgId)
        .all<{ run_key: string; status: string }>();
    expect((await rows()).results).toEqual([
      { run_key: `heal-retrain:${t.orgId}:weekly:2026-03-02`, status: "skipped" },
    ]);

    // The same week again: the run is recorded already, nothing runs twice.
    await run();
    expect((await rows()).results).toHaveLength(1);
  });
});
