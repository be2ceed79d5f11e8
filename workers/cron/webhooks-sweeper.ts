import { findStuckRuns } from "../../shared/ai/workflows/runs.ts";
import { requeueStuckWork } from "../../shared/webhooks/lifecycle.ts";
import { sendWebhookMessages } from "../../shared/webhooks/message.ts";
import { createServices } from "../services.ts";
import type { CronJob } from "./types.ts";

/** Every 5 minutes: re-queue events, deliveries and AI workflow runs whose queue message was lost. */
export const webhookSweeperJob: CronJob = {
  name: "webhooks-sweeper",
  run: async (env) => {
    const services = createServices(env);
    const requeued = await requeueStuckWork(services);
    const runs = await findStuckRuns(services.db, services.clock());
    await sendWebhookMessages(
      services.queues.webhooks,
      runs.map((body) => ({ body })),
    );
    return { counts: { requeued, runs: runs.length } };
  },
};
