import { refreshTestStats } from "../../shared/ci/rollup.ts";
import { createDb } from "../../shared/db/client.ts";
import { pipelineWakeJob } from "../queues/pipeline.ts";
import { artifactRetentionJob } from "./artifact-retention.ts";
import { weeklyHealRetrainJob } from "./heal-retrain.ts";
import { insightRollupsJob } from "./insight-rollups.ts";
import { orgExportsJob } from "./org-exports.ts";
import { orgPurgeJob } from "./org-purge.ts";
import type { CronJob } from "./types.ts";
import { webhookSweeperJob } from "./webhooks-sweeper.ts";

/** Jobs per cron expression of wrangler.toml's [triggers]; each domain adds its jobs here. */
export const CRON_JOBS: Record<string, CronJob[]> = {
  "*/5 * * * *": [
    { name: "ci-test-stats", run: (env, _ctx, at) => refreshTestStats(createDb(env.DB), at) },
    webhookSweeperJob,
    pipelineWakeJob,
    insightRollupsJob,
    orgExportsJob,
  ],
  "0 3 * * 1": [weeklyHealRetrainJob],
  "30 2 * * *": [orgPurgeJob, artifactRetentionJob],
};
