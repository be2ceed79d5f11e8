import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { runScheduled } from "../../workers/cron/index.ts";

/**
 * One run of the `*\/5` cron exactly as the runtime triggers it. The tick is a past minute of its own,
 * so its run key (job + minute) is fresh, and jobs that read the tick's time (flaky statistics,
 * snoozed leads) find nothing that old.
 */
export async function runFiveMinuteCron() {
  const scheduledTime = Date.UTC(2020, 0, 1) + Math.floor(Math.random() * 1e6) * 60_000;
  const ctx = createExecutionContext();
  await runScheduled(createScheduledController({ cron: "*/5 * * * *", scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}
