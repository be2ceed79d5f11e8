import { createDb } from "../../shared/db/client.ts";
import { runJobOnce } from "../../shared/jobs/job-runs.ts";
import type { Env } from "../env.ts";
import { CRON_JOBS } from "./jobs.ts";
import type { CronJob } from "./types.ts";

/** Minute-resolution key: a cron firing twice for the same tick runs each job once. */
function tickKey(scheduledTime: number): string {
  return new Date(Math.floor(scheduledTime / 60_000) * 60_000).toISOString().slice(0, 16);
}

export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
  const jobs: CronJob[] = CRON_JOBS[controller.cron] ?? [];
  const db = createDb(env.DB);
  const tick = tickKey(controller.scheduledTime);
  const results = await Promise.allSettled(
    jobs.map((job) =>
      runJobOnce(db, job.name, `${job.name}:${tick}`, null, () =>
        job.run(env, ctx, controller.scheduledTime),
      ),
    ),
  );
  results.forEach((r, i) => {
    const name = jobs[i]?.name;
    if (r.status === "rejected")
      console.error(
        JSON.stringify({ level: "error", msg: "cron job failed", job: name, error: String(r.reason) }),
      );
    else console.log(JSON.stringify({ level: "info", msg: "cron job", job: name, ...r.value }));
  });
}
