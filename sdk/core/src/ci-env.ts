import type { RunMetadata } from "./types.ts";

/**
 * Git and CI metadata for an upload, from the environment: GitHub Actions' variables, or the generic
 * SHIFTY_COMMIT / SHIFTY_BRANCH / SHIFTY_BASE_BRANCH / SHIFTY_PR / SHIFTY_RUN_URL / SHIFTY_BUILD_ID.
 */
export function ciMetadataFromEnv(env: Record<string, string | undefined> = process.env): RunMetadata {
  const meta: RunMetadata = {};
  const github = env.GITHUB_ACTIONS === "true" || Boolean(env.GITHUB_RUN_ID);
  const commit = env.SHIFTY_COMMIT ?? (github ? env.GITHUB_SHA : undefined);
  if (commit && /^[0-9a-fA-F]{7,64}$/.test(commit)) meta.commit = commit;
  // On pull_request events GITHUB_REF_NAME is "<n>/merge"; the branch is GITHUB_HEAD_REF.
  const branch = env.SHIFTY_BRANCH ?? (github ? env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME : undefined);
  if (branch) meta.branch = branch;
  const base = env.SHIFTY_BASE_BRANCH ?? (github ? env.GITHUB_BASE_REF : undefined);
  if (base) meta.baseBranch = base;
  const pr = env.SHIFTY_PR ?? (github ? /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? "")?.[1] : undefined);
  if (pr && /^\d+$/.test(pr) && Number(pr) > 0) meta.pr = Number(pr);
  if (env.SHIFTY_RUN_URL) meta.runUrl = env.SHIFTY_RUN_URL;
  else if (github && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    meta.runUrl = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  if (env.SHIFTY_BUILD_ID) meta.buildId = env.SHIFTY_BUILD_ID;
  else if (github && env.GITHUB_RUN_ID)
    meta.buildId = `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  if (github) meta.provider = "github";
  else if (meta.buildId) meta.provider = "other";
  return meta;
}
