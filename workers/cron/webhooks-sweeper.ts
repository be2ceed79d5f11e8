import { requeueStuckWork } from "../../shared/webhooks/lifecycle.ts";
import { createServices } from "../services.ts";
import type { CronJob } from "./types.ts";

/** Every 5 minutes: re-queue events and deliveries whose queue message was lost. */
export const webhookSweeperJob: CronJob = {
  name: "webhooks-sweeper",
  run: async (env) => {
    const requeued = await requeueStuckWork(createServices(env));
    return { counts: { requeued } };
  },
};
