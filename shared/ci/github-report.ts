import { and, eq } from "drizzle-orm";
import { decryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { findProjectRow } from "../db/org-scoped.ts";
import { ciGithub, ciRuns } from "../db/schema/ci.ts";
import type { GateVerdict } from "./gate.ts";
import { GitHubClient, reportGate } from "./github.ts";
import type { ReportSummary } from "./report.ts";

/** The AES-GCM context a project's GitHub token is sealed under (a ciphertext cannot move rows). */
export const githubTokenContext = (orgId: string, projectId: string) => `ci_github:${orgId}:${projectId}`;

export function loadGithubIntegration(db: Db, orgId: string, projectId: string) {
  return findProjectRow(db, ciGithub, orgId, projectId);
}

export type GithubReportOptions = {
  apiUrl: string;
  encryptionKey: string;
  /** Where the check run links when CI gave no run URL: the run in this API. */
  runLink: (runId: string) => string;
  fetch?: typeof fetch;
};

/** The run as reported: its upload's counts (not its duration or status) and its gate. */
export type RunForGitHub = Omit<ReportSummary, "durationMs" | "status"> & {
  id: string;
  orgId: string;
  projectId: string;
  commitSha: string;
  runUrl: string | null;
  gate: GateVerdict;
};

/**
 * Reports a run's gate to GitHub and records the outcome on the run (`github` column), never throwing:
 * it runs after the response (waitUntil), so the run row is the only place a failure can be seen.
 */
export async function reportRunToGitHub(
  db: Db,
  options: GithubReportOptions,
  run: RunForGitHub,
): Promise<Record<string, unknown>> {
  let outcome: Record<string, unknown>;
  try {
    const integration = await loadGithubIntegration(db, run.orgId, run.projectId);
    if (!integration) throw new Error("the GitHub integration was removed");
    const token = await decryptSecret(
      options.encryptionKey,
      integration.tokenSealed,
      githubTokenContext(run.orgId, run.projectId),
    );
    const client = new GitHubClient({ baseUrl: options.apiUrl, token, fetch: options.fetch });
    const report = await reportGate(
      client,
      {
        owner: integration.owner,
        repo: integration.repo,
        sha: run.commitSha,
        detailsUrl: run.runUrl ?? options.runLink(run.id),
        runId: run.id,
      },
      run.gate,
      run,
    );
    outcome = { state: "reported", kind: report.kind, id: report.id, at: Date.now() };
    if (report.fallbackReason) outcome.error = report.fallbackReason.slice(0, 300);
  } catch (error) {
    outcome = {
      state: "failed",
      error: String((error as Error)?.message ?? error).slice(0, 300),
      at: Date.now(),
    };
  }
  await db
    .update(ciRuns)
    .set({ github: outcome })
    .where(and(eq(ciRuns.orgId, run.orgId), eq(ciRuns.id, run.id)));
  return outcome;
}
