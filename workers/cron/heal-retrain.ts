import { createDb } from "../../shared/db/client.ts";
import { orgsWithNewFeedback, retrainOrg } from "../../shared/healing/records/retraining.ts";
import { runJobOnce } from "../../shared/jobs/job-runs.ts";
import type { CronJob } from "./jobs.ts";

/** Weekly: retrain every org that has feedback newer than its last model (one job-run row per org). */
export const weeklyHealRetrainJob: CronJob = {
  name: "heal-retrain-weekly",
  run: async (env, _ctx, scheduledTime) => {
    const db = createDb(env.DB);
    const week = new Date(scheduledTime).toISOString().slice(0, 10);
    const counts = { orgs: 0, promoted: 0, rejected: 0, skipped: 0, failed: 0 };
    for (const orgId of await orgsWithNewFeedback(db)) {
      counts.orgs++;
      try {
        await runJobOnce(db, "heal-retrain", `heal-retrain:${orgId}:weekly:${week}`, orgId, async () => {
          const outcome = await retrainOrg(db, env.ARTIFACTS, env.CACHE, orgId);
          counts[outcome.status]++;
          return {
            status: outcome.status === "skipped" ? "skipped" : "succeeded",
            counts: { examples: outcome.examples },
          };
        });
      } catch {
        counts.failed++;
      }
    }
    return { counts };
  },
};
