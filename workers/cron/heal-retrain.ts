import { orgsWithNewFeedback, retrainAsJob } from "../../shared/healing/store/retraining-jobs.ts";
import { createServices } from "../services.ts";
import type { CronJob } from "./types.ts";

/** Weekly: retrain every org that has feedback newer than its last model (one job-run row per org). */
export const weeklyHealRetrainJob: CronJob = {
  name: "heal-retrain-weekly",
  run: async function retrainWeekly(env, _ctx, scheduledTime) {
    const services = createServices(env, { job: "heal-retrain-weekly" });
    const week = new Date(scheduledTime).toISOString().slice(0, 10);
    const counts = { orgs: 0, promoted: 0, rejected: 0, skipped: 0, failed: 0 };
    for (const orgId of await orgsWithNewFeedback(services.db)) {
      counts.orgs++;
      try {
        const outcome = await retrainAsJob(services, orgId, { kind: "weekly", week });
        if (outcome) counts[outcome.status]++;
      } catch {
        counts.failed++;
      }
    }
    return { counts };
  },
};
