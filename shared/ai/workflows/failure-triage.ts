import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { selectColumnsInOrg } from "../../db/org-scoped.ts";
import { ciClusters, ciResults, ciRuns } from "../../db/schema/ci.ts";
import { loadAiSettings } from "../ledger.ts";
import { tryAiTask } from "../service.ts";
import { aiDepsOf, type WorkflowDeps } from "./deps.ts";
import { notify } from "./notify.ts";
import type { RunResult, WorkflowRun } from "./runs.ts";

export type TriagedCluster = {
  clusterId: string;
  signature: string;
  errorType: string | null;
  sampleMessage: string;
  failures: number;
  isNew: boolean;
  explanation: string;
  suggestion: string;
};

/** Signature-based hints: the error's type and message say more than the test name does. */
const HINTS: [RegExp, string, string][] = [
  [
    /timeout|timed out|exceeded/i,
    "The step waited longer than its limit",
    "Check that the locator still matches and the page reaches that state; prefer an explicit wait on the condition over a longer timeout.",
  ],
  [
    /locator|selector|element.*not found|no node|strict mode/i,
    "An element could not be found or was ambiguous",
    "Review the selector (or accept a pending healed locator) and make it unique with a role or test id.",
  ],
  [
    /expect|assert|toBe|toEqual|expected/i,
    "An assertion saw a different value than expected",
    "Compare expected and actual in the sample; if the change is intended, update the expectation in the same pull request.",
  ],
  [
    /ECONNREFUSED|ENOTFOUND|fetch failed|network|5\d\d/i,
    "A service the test depends on was unreachable or failing",
    "Check the environment and the service's health; mock or stub it if the test should not depend on it.",
  ],
  [
    /TypeError|ReferenceError|undefined is not|null/i,
    "The code under test (or the test) threw a programming error",
    "Open the stack's first application frame; a recent change likely broke a contract there.",
  ],
];

export function explain(
  cluster: { errorType: string | null; sampleMessage: string },
  isNew: boolean,
  count: number,
) {
  const haystack = `${cluster.errorType ?? ""} ${cluster.sampleMessage}`;
  const hint = HINTS.find(([pattern]) => pattern.test(haystack));
  const history = isNew ? "first seen in this run" : `seen ${count} time(s) before`;
  return {
    explanation: `${hint?.[1] ?? "A failure with this signature"} (${history}).`,
    suggestion:
      hint?.[2] ?? "Open the sample stack and compare it with the last passing run of the same test.",
  };
}

/** The failure clusters of a run (the project's latest failed one when no run is named). */
export async function triageRun(db: Db, orgId: string, projectId: string, runId?: string) {
  const [run] = await selectColumnsInOrg(
    db,
    { id: ciRuns.id, commitSha: ciRuns.commitSha, branch: ciRuns.branch },
    ciRuns,
    orgId,
    eq(ciRuns.projectId, projectId),
    runId ? eq(ciRuns.id, runId) : eq(ciRuns.status, "failed"),
  )
    .orderBy(desc(ciRuns.id))
    .limit(1);
  if (!run) return { run: null, clusters: [] as TriagedCluster[] };
  const ids = await db
    .selectDistinct({ clusterId: ciResults.clusterId })
    .from(ciResults)
    .where(and(eq(ciResults.orgId, orgId), eq(ciResults.runId, run.id), isNotNull(ciResults.clusterId)))
    .limit(20);
  const clusterIds = ids.map((r) => r.clusterId).filter((id): id is string => id !== null);
  const rows = clusterIds.length
    ? await db
        .select()
        .from(ciClusters)
        .where(and(eq(ciClusters.orgId, orgId), inArray(ciClusters.id, clusterIds)))
    : [];
  const clusters = rows
    .sort((a, b) => b.count - a.count)
    .map((c): TriagedCluster => {
      const isNew = c.firstRunId === run.id;
      return {
        clusterId: c.id,
        signature: c.signature,
        errorType: c.errorType,
        sampleMessage: c.sampleMessage.slice(0, 500),
        failures: c.count,
        isNew,
        ...explain(c, isNew, c.count),
      };
    });
  return { run, clusters };
}

export const clustersForPrompt = (clusters: TriagedCluster[]) =>
  clusters
    .slice(0, 5)
    .map((c) => `- ${c.signature} ×${c.failures}${c.isNew ? " (new)" : ""}: ${c.sampleMessage}`)
    .join("\n");

/** A failed CI pipeline → the project's failing run's clusters explained, with a fix; notified. */
export async function runFailureTriage(deps: WorkflowDeps, run: WorkflowRun): Promise<RunResult> {
  if (!run.projectId) return { status: "skipped", outcome: "No project for this repository" };
  const triage = await triageRun(deps.db, run.orgId, run.projectId);
  if (!triage.run || triage.clusters.length === 0)
    return { status: "skipped", outcome: "No failed CI run with failure clusters uploaded for this project" };
  const ai = await tryAiTask(aiDepsOf(deps), {
    orgId: run.orgId,
    workflow: "failure_triage",
    subject: run.subject,
    vars: { clusters: clustersForPrompt(triage.clusters) },
  });
  const top = triage.clusters[0] as TriagedCluster;
  const text = [
    `CI failure triage for ${run.subject} (run ${triage.run.id}):`,
    ...triage.clusters
      .slice(0, 5)
      .map((c) => `• ${c.signature} ×${c.failures}: ${c.explanation} ${c.suggestion}`),
    ...(ai.answer ? [ai.answer.text] : []),
  ].join("\n");
  const settings = await loadAiSettings(deps.db, run.orgId);
  const sent = await notify(deps, settings?.notifyUrl, text, {
    workflow: "failure_triage",
    runId: triage.run.id,
    clusters: triage.clusters.slice(0, 5),
  });
  return {
    status: "succeeded",
    outcome: `${triage.clusters.length} cluster(s), top: ${top.explanation} ${sent}${ai.note ? `; ${ai.note}` : ""}`,
    tokens: ai.answer ? ai.answer.tokensIn + ai.answer.tokensOut : 0,
    costMicros: ai.answer?.costMicros ?? 0,
  };
}
