import { requireCiProject } from "../ci/project.ts";
import type { Triage } from "../contract/ai.ts";
import { notFound } from "../errors.ts";
import { type AiDeps, runAiTask } from "./service.ts";
import { clustersForPrompt, triageRun } from "./workflows/failure-triage.ts";

/**
 * Failure triage on request: the run's clusters explained from their signatures and history, and,
 * when `ai` is asked, the model's explanation: 503 without a provider, 402 over budget (docs/ai.md).
 */
export async function triageOnDemand(
  deps: AiDeps,
  orgId: string,
  projectId: string,
  input: { runId?: string; ai: boolean },
  requestId: string | null,
): Promise<Triage> {
  await requireCiProject(deps.db, orgId, projectId);
  const triage = await triageRun(deps.db, orgId, projectId, input.runId);
  if (!triage.run) throw notFound(input.runId ? "Run" : "Failed run");
  const answer =
    input.ai && triage.clusters.length > 0
      ? await runAiTask(deps, {
          orgId,
          workflow: "failure_triage",
          subject: triage.run.id,
          vars: { clusters: clustersForPrompt(triage.clusters) },
          requestId,
        })
      : null;
  return {
    runId: triage.run.id,
    clusters: triage.clusters,
    summary: answer?.text ?? null,
    prompt: answer?.prompt ?? null,
    costUsd: (answer?.costMicros ?? 0) / 1_000_000,
  };
}
