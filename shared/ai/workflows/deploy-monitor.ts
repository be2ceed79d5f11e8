import { and, desc, eq, gte, isNull, or } from "drizzle-orm";
import { selectColumnsInOrg } from "../../db/org-scoped.ts";
import { ciRuns } from "../../db/schema/ci.ts";
import { ciPipelineRecords, deploymentRecords, incidentRecords } from "../../db/schema/webhooks.ts";
import { loadAiSettings } from "../ledger.ts";
import { tryAiTask } from "../service.ts";
import { aiDepsOf, type WorkflowDeps } from "./deps.ts";
import { notify } from "./notify.ts";
import type { RunResult, WorkflowRun } from "./runs.ts";
import { providerSubject, subjectRecord } from "./subject.ts";

/** A watched deployment is re-checked this often until its window closes. */
export const RECHECK_SECONDS = 300;
export const DEFAULT_WINDOW_MINUTES = 30;

/**
 * What happened since a deployment went out: incidents opened (the project's or organisation-wide),
 * the project's CI runs whose gate failed, failed CI pipelines of the same repository.
 */
async function signalsSince(deps: WorkflowDeps, run: WorkflowRun, since: number, repository: string | null) {
  const { db } = deps;
  const incidents = await selectColumnsInOrg(
    db,
    { title: incidentRecords.title, url: incidentRecords.url },
    incidentRecords,
    run.orgId,
    gte(incidentRecords.openedAt, since),
    run.projectId
      ? or(eq(incidentRecords.projectId, run.projectId), isNull(incidentRecords.projectId))
      : undefined,
  ).limit(20);
  const gates = run.projectId
    ? await selectColumnsInOrg(
        db,
        { id: ciRuns.id, branch: ciRuns.branch },
        ciRuns,
        run.orgId,
        eq(ciRuns.projectId, run.projectId),
        gte(ciRuns.createdAt, since),
        eq(ciRuns.gateStatus, "fail"),
      )
        .orderBy(desc(ciRuns.id))
        .limit(20)
    : [];
  const pipelines = repository
    ? await selectColumnsInOrg(
        db,
        { name: ciPipelineRecords.name, url: ciPipelineRecords.htmlUrl },
        ciPipelineRecords,
        run.orgId,
        eq(ciPipelineRecords.repository, repository),
        gte(ciPipelineRecords.sourceUpdatedAt, since),
        eq(ciPipelineRecords.conclusion, "failure"),
      ).limit(20)
    : [];
  return { incidents, gates, pipelines };
}

/**
 * An incident opened inside the deployment's window: the deployment is a failed change for DORA
 * (docs/insight.md). Written once; `updated_at` moves so the insight rollups recompute its hours.
 */
async function recordFailedChange(
  deps: WorkflowDeps,
  deployment: typeof deploymentRecords.$inferSelect,
  incidents: { title: string }[],
  now: number,
) {
  const reason = `incident: ${incidents.map((i) => i.title).join("; ")}`.slice(0, 500);
  await deps.db
    .update(deploymentRecords)
    .set({ changeFailedAt: now, changeFailure: reason, updatedAt: now })
    .where(
      and(
        eq(deploymentRecords.orgId, deployment.orgId),
        eq(deploymentRecords.id, deployment.id),
        isNull(deploymentRecords.changeFailedAt),
      ),
    );
}

/**
 * GitHub/GitLab successful deployment → watch incidents, CI gates and pipelines for the window (the
 * run stays `watching` and is re-checked), then notify: at risk as soon as a signal appears, healthy
 * when the window closes quietly.
 */
export async function runDeployMonitor(
  deps: WorkflowDeps,
  run: WorkflowRun,
): Promise<RunResult & { recheckSeconds?: number }> {
  const { provider, externalId } = providerSubject(run);
  const deployment = await subjectRecord(deps.db, deploymentRecords, run);
  if (!deployment) return { status: "skipped", outcome: "Deployment record not found" };
  const settings = await loadAiSettings(deps.db, run.orgId);
  const windowMs = (settings?.deployWindowMinutes ?? DEFAULT_WINDOW_MINUTES) * 60_000;
  const deployedAt = deployment.sourceUpdatedAt;
  const signals = await signalsSince(deps, run, deployedAt, deployment.repository);
  const lines = [
    ...signals.incidents.map((i) => `incident: ${i.title}${i.url ? ` (${i.url})` : ""}`),
    ...signals.gates.map((g) => `CI run ${g.id} failed its quality gate${g.branch ? ` on ${g.branch}` : ""}`),
    ...signals.pipelines.map((p) => `pipeline failed: ${p.name ?? "?"}${p.url ? ` (${p.url})` : ""}`),
  ];
  const label =
    `${deployment.repository ?? provider} ${deployment.environment ?? ""} ${deployment.commitSha?.slice(0, 7) ?? externalId}`
      .replace(/\s+/g, " ")
      .trim();
  const remaining = deployedAt + windowMs - deps.now();
  if (lines.length === 0 && remaining > 0) {
    return {
      status: "watching",
      outcome: `watching until ${new Date(deployedAt + windowMs).toISOString()}`,
      recheckSeconds: Math.min(RECHECK_SECONDS, Math.ceil(remaining / 1000)),
    };
  }
  const verdict = lines.length > 0 ? "at risk" : "healthy";
  if (signals.incidents.length > 0) await recordFailedChange(deps, deployment, signals.incidents, deps.now());
  const ai =
    lines.length > 0
      ? await tryAiTask(aiDepsOf(deps), {
          orgId: run.orgId,
          workflow: "deploy_monitor",
          subject: run.subject,
          vars: { deployment: label, signals: lines.join("\n") },
        })
      : { answer: null, note: null };
  if (lines.length > 0)
    await deps.emit?.({
      orgId: run.orgId,
      projectId: run.projectId,
      type: "deploy.at_risk",
      key: `deploy.at_risk:${run.subject}`,
      summary: `Deployment ${label} is at risk: ${lines[0]}`,
      data: {
        deployment: label,
        repository: deployment.repository,
        environment: deployment.environment,
        commitSha: deployment.commitSha,
        signals: lines,
        workflowRunId: run.id,
      },
    });
  const text = `Deployment ${label} is ${verdict}.${lines.length ? `\n${lines.map((l) => `• ${l}`).join("\n")}` : ""}${ai.answer ? `\n${ai.answer.text}` : ""}`;
  const sent = await notify(deps, settings?.notifyUrl, text, {
    workflow: "deploy_monitor",
    verdict,
    deployment: label,
    signals: lines,
  });
  return {
    status: "succeeded",
    outcome: `${verdict}; ${lines.length} signal(s); ${sent}${ai.note ? `; ${ai.note}` : ""}`,
    tokens: ai.answer ? ai.answer.tokensIn + ai.answer.tokensOut : 0,
    costMicros: ai.answer?.costMicros ?? 0,
  };
}
