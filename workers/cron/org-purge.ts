import { purgeDeletedOrganizations } from "../../shared/tenancy/org-purge.ts";
import { createServices } from "../services.ts";
import type { CronJob } from "./types.ts";

/** Daily: erase organisations deleted more than 30 days ago (docs/data-lifecycle.md). */
export const orgPurgeJob: CronJob = {
  name: "org-purge",
  run: async (env, _ctx, at) => {
    const { db, keyCache, artifacts } = createServices(env, { job: "org-purge" });
    return purgeDeletedOrganizations({ db, keys: keyCache, artifacts }, at);
  },
};
