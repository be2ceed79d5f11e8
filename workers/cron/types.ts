import type { JobOutcome } from "../../shared/jobs/job-runs.ts";
import type { Env } from "../env.ts";

export type CronJob = {
  name: string;
  run: (env: Env, ctx: ExecutionContext, scheduledTime: number) => Promise<JobOutcome>;
};
