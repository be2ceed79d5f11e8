import { purgeDeletedOrganizations } from "../../shared/tenancy/org-purge.ts";
import { createServices } from "../services.ts";
import type { CronJob } from "./types.ts";

/** Daily: erase organisations deleted more than 30 days ago (docs/data-lifecycle.md). */
export const orgPurgeJob: CronJob = {
  name: "org-purge",
  run: async (env, _ctx, at) => {
    const { db, cache, artifacts } = createServices(env, { job: "org-purge" });
    return purgeDeletedOrganizations({ db, cache, artifacts }, at);
  },
};
