import { sweepExports } from "../../shared/tenancy/org-export.ts";
import { createServices } from "../services.ts";
import type { CronJob } from "./types.ts";

/** Every 5 minutes: finish exports cut short, delete week-old export files (docs/data-lifecycle.md). */
export const orgExportsJob: CronJob = {
  name: "org-exports",
  run: async (env, _ctx, at) => {
    const { db, artifacts } = createServices(env, { job: "org-exports" });
    return sweepExports({ db, artifacts }, at);
  },
};
