import { expireArtifacts } from "../../shared/ci/artifact-retention.ts";
import { createServices } from "../services.ts";
import type { CronJob } from "./types.ts";

/** Daily: remove failure artifacts past their plan's retention (docs/artifacts.md, "Retention"). */
export const artifactRetentionJob: CronJob = {
  name: "artifact-retention",
  run: async (env, _ctx, at) => {
    const { db, artifacts } = createServices(env, { job: "artifact-retention" });
    return expireArtifacts({ db, artifacts }, at);
  },
};
