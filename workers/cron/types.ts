import type { JobOutcome } from "../../shared/jobs/job-runs.ts";
import type { Env } from "../env.ts";

/** A scheduled job: run once per cron tick (workers/cron/index.ts keys the run by job and minute). */
export type CronJob = {
  name: string;
  run: (env: Env, ctx: ExecutionContext, scheduledTime: number) => Promise<JobOutcome>;
};
