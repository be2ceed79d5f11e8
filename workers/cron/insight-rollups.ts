import { rollUpInsight } from "../../shared/insight/rollups.ts";
import { createServices } from "../services.ts";
import type { CronJob } from "./types.ts";

/** Every 5 minutes: roll new deployment, change, incident, CI, heal and finding records up by hour. */
export const insightRollupsJob: CronJob = {
  name: "insight-rollups",
  run: async (env) => {
    const { db, cache, clock } = createServices(env, { job: "insight-rollups" });
    return rollUpInsight(db, cache, clock());
  },
};
