import type { Run } from "../contract/ci.ts";
import type { ciClusters, ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";
import type { IdPrefix } from "../ids.ts";
import {
  appendOutcome,
  EMPTY_HISTORY,
  FLAKY_STATS_KEYS,
  type FlakyPolicy,
  flakyStats,
  lastEntryIsFlake,
  nextQuarantine,
  type TestHistory,
  type TestStatus,
} from "./flaky.ts";
import { evaluateGate, type GateInput } from "./gate.ts";
import { type FailureDetail, type ParsedReport, type ParsedTest, summarise, testKey } from "./report.ts";
import type { CiSettings } from "./settings.ts";

/**
 * What one upload changes, computed without I/O from the parsed report and the state it meets
 * (ingest-state.ts loads that state, ingest-writer.ts writes the plan in one atomic batch).
 */

/** Where a run comes from, as the run shows it (shared/contract/ci.ts). */
export type RunMeta = Pick<
  Run,
  "commit" | "branch" | "baseBranch" | "pr" | "provider" | "runUrl" | "buildId"
>;

export type ExistingTest = {
  id: string;
  name: string;
  /** The health stored before this upload (`flaky.detected` fires when it turns flaky). */
  status: TestStatus;
  quarantined: boolean;
  quarantineReason: "manual" | "auto" | null;
  quarantinedAt: number | null;
  history: TestHistory;
};

/** The run "new failures" are measured against (see loadReference in ingest-state.ts). */
export type Reference = { runId: string | null; label: string | null; failingTestIds: Set<string> };

export type IngestState = {
  settings: CiSettings;
  /** Known tests by `testKey`. */
  tests: Map<string, ExistingTest>;
  /** Known cluster ids by failure signature. */
  clusters: Map<string, string>;
  reference: Reference;
  /** The number the run gets: one more than the project's latest. */
  nextNumber: number;
};

export type PlanInput = {
  orgId: string;
  projectId: string;
  report: ParsedReport;
  reportHash: string;
  meta: RunMeta;
  /** Whether a GitHub report will follow (stored as `github: {state: "pending"}`). */
  githubPending: boolean;
  /** Failure signature of each clustered test, by its index in `report.tests` (see failuresToCluster). */
  signatures: Map<number, string>;
  now: number;
  policy: FlakyPolicy;
  newId: (prefix: IdPrefix) => string;
};

type TestInsert = typeof ciTests.$inferInsert;
type ResultInsert = typeof ciResults.$inferInsert;
type ClusterInsert = typeof ciClusters.$inferInsert;

/** Columns an upload rewrites on every test it touches. */
export const TEST_STATE_KEYS = [
  ...FLAKY_STATS_KEYS,
  "quarantined",
  "quarantineReason",
  "quarantinedAt",
  "recent",
  "lastCommit",
  "lastCommitOutcomes",
  "consecutivePasses",
  "consecutiveFailures",
  "lastOutcome",
  "lastRunId",
  "lastSeenAt",
  "statsAt",
  "tags",
] as const satisfies readonly (keyof TestInsert)[];
export const TEST_IDENTITY_KEYS = [
  "id",
  "key",
  "file",
  "suite",
  "name",
  "firstSeenAt",
] as const satisfies readonly (keyof TestInsert)[];
export const RESULT_KEYS = [
  "id",
  "testId",
  "status",
  "durationMs",
  "retries",
  "healed",
  "quarantined",
  "message",
  "stack",
  "clusterId",
  "newFailure",
] as const satisfies readonly (keyof ResultInsert)[];
export const CLUSTER_KEYS = [
  "id",
  "signature",
  "errorType",
  "sampleMessage",
  "sampleStack",
  "count",
] as const satisfies readonly (keyof ClusterInsert)[];

export type TestState = { [K in (typeof TEST_STATE_KEYS)[number]]: TestInsert[K] };
export type NewTest = { [K in (typeof TEST_IDENTITY_KEYS)[number]]: TestInsert[K] } & TestState;
export type UpdatedTest = { id: string } & TestState;
export type PlannedResult = { [K in (typeof RESULT_KEYS)[number]]: ResultInsert[K] };
export type NewCluster = { [K in (typeof CLUSTER_KEYS)[number]]: ClusterInsert[K] };
export type ClusterBump = { id: string; count: number };

export type IngestPlan = {
  run: typeof ciRuns.$inferSelect;
  newTests: NewTest[];
  updatedTests: UpdatedTest[];
  results: PlannedResult[];
  newClusters: NewCluster[];
  clusterBumps: ClusterBump[];
  /** Ids of tests this upload put into / took out of quarantine. */
  quarantined: string[];
  released: string[];
  /** Tests this upload newly marked flaky (new ones, or known ones that were not flaky). */
  newlyFlaky: NewlyFlakyTest[];
};

export type NewlyFlakyTest = {
  id: string;
  name: string;
  file: string | null;
  suite: string;
  failureRate: number;
  quarantined: boolean;
};

/** The tests whose failure joins a cluster: failed or flaky ones with a failure detail. */
export function failuresToCluster(report: ParsedReport): { index: number; failure: FailureDetail }[] {
  const out: { index: number; failure: FailureDetail }[] = [];
  report.tests.forEach((t, index) => {
    if (t.failure && (t.status === "failed" || t.status === "flaky")) out.push({ index, failure: t.failure });
  });
  return out;
}

/** Assigns each clustered test a known cluster (bumped) or a new one (one per new signature). */
function planClusters(input: PlanInput, known: Map<string, string>) {
  const byIndex = new Map<number, string>();
  const fresh = new Map<string, NewCluster>();
  const bumps = new Map<string, number>();
  for (const [index, signature] of input.signatures) {
    const failure = input.report.tests[index]?.failure;
    if (!failure) continue;
    const knownId = known.get(signature);
    if (knownId) {
      bumps.set(knownId, (bumps.get(knownId) ?? 0) + 1);
      byIndex.set(index, knownId);
      continue;
    }
    let cluster = fresh.get(signature);
    if (!cluster) {
      cluster = {
        id: input.newId("cls"),
        signature,
        errorType: failure.type,
        sampleMessage: failure.message,
        sampleStack: failure.stack,
        count: 0,
      };
      fresh.set(signature, cluster);
    }
    cluster.count = (cluster.count ?? 0) + 1;
    byIndex.set(index, cluster.id);
  }
  const clusterBumps = [...bumps].map(([id, count]) => ({ id, count }));
  return { byIndex, newClusters: [...fresh.values()], clusterBumps };
}

/** One test's next state: history, flaky statistics and quarantine. */
function planTest(
  input: PlanInput,
  state: IngestState,
  t: ParsedTest,
  prev: ExistingTest | undefined,
  runId: string,
) {
  const { now, policy } = input;
  const history = appendOutcome(prev?.history ?? EMPTY_HISTORY, t.status, now, input.meta.commit, policy);
  const stats = flakyStats(history.recent, now, policy);
  const flakyNow = t.status !== "skipped" && lastEntryIsFlake(history.recent);
  const q = nextQuarantine(
    { quarantined: prev?.quarantined ?? false, reason: prev?.quarantineReason ?? null },
    stats.status,
    history.consecutivePasses,
    state.settings,
    flakyNow,
  );
  let quarantinedAt = prev?.quarantinedAt ?? null;
  let consecutivePasses = history.consecutivePasses;
  if (q.change === "quarantined") {
    quarantinedAt = now;
    consecutivePasses = 0;
  } else if (q.change === "released") {
    quarantinedAt = null;
  }
  const next: TestState = {
    status: stats.status,
    quarantined: q.state.quarantined,
    quarantineReason: q.state.reason,
    quarantinedAt,
    recent: history.recent,
    lastCommit: history.lastCommit,
    lastCommitOutcomes: history.lastCommitOutcomes,
    consecutivePasses,
    consecutiveFailures: history.consecutiveFailures,
    sampleSize: stats.sampleSize,
    failures: stats.failures,
    failureRate: stats.failureRate,
    wilsonLow: stats.wilsonLow,
    wilsonHigh: stats.wilsonHigh,
    lastFlipAt: stats.lastFlipAt,
    lastOutcome: t.status,
    lastRunId: runId,
    lastSeenAt: now,
    statsAt: now,
    tags: t.tags ?? [],
  };
  return { next, change: q.change, health: stats.status };
}

/** Gate counts leave quarantined tests out, except that their failures are counted apart. */
function emptyGateInput(): Omit<GateInput, "reference"> {
  return {
    passed: 0,
    flaky: 0,
    failed: 0,
    healed: 0,
    newFailures: 0,
    quarantinedFailures: 0,
    brokenTests: [],
  };
}

export function planIngest(input: PlanInput, state: IngestState): IngestPlan {
  const { report, now } = input;
  const runId = input.newId("run");
  const clusters = planClusters(input, state.clusters);
  const plan: Omit<IngestPlan, "run"> = {
    newTests: [],
    updatedTests: [],
    results: [],
    newClusters: clusters.newClusters,
    clusterBumps: clusters.clusterBumps,
    quarantined: [],
    released: [],
    newlyFlaky: [],
  };
  const gate = emptyGateInput();
  let newFailures = 0;
  report.tests.forEach((t, index) => {
    const key = testKey(t);
    const prev = state.tests.get(key);
    const testId = prev?.id ?? input.newId("tst");
    const { next, change, health } = planTest(input, state, t, prev, runId);
    if (change === "quarantined") plan.quarantined.push(testId);
    else if (change === "released") plan.released.push(testId);
    if (health === "flaky" && prev?.status !== "flaky") {
      const { name, file, suite } = t;
      plan.newlyFlaky.push({
        id: testId,
        name,
        file,
        suite,
        failureRate: next.failureRate ?? 0,
        quarantined: next.quarantined ?? false,
      });
    }
    const isNewFailure = t.status === "failed" && !state.reference.failingTestIds.has(testId);
    if (isNewFailure) newFailures++;
    if (next.quarantined) {
      if (t.status === "failed") gate.quarantinedFailures++;
    } else {
      if (t.status === "passed") gate.passed++;
      else if (t.status === "flaky") gate.flaky++;
      else if (t.status === "failed") gate.failed++;
      if (t.healed) gate.healed++;
      if (isNewFailure) gate.newFailures++;
      if (health === "broken") gate.brokenTests.push(t.name);
    }
    if (prev) plan.updatedTests.push({ id: testId, ...next });
    else
      plan.newTests.push({
        id: testId,
        key,
        file: t.file,
        suite: t.suite,
        name: t.name,
        firstSeenAt: now,
        ...next,
      });
    plan.results.push({
      id: input.newId("res"),
      testId,
      status: t.status,
      durationMs: Math.round(t.durationMs),
      retries: t.retries,
      healed: t.healed,
      quarantined: next.quarantined ?? false,
      message: t.failure?.message ?? null,
      stack: t.failure?.stack ?? null,
      clusterId: clusters.byIndex.get(index) ?? null,
      newFailure: isNewFailure,
    });
  });
  const verdict = evaluateGate(state.settings, { ...gate, reference: state.reference.label });
  const run = planRun(input, runId, newFailures, verdict);
  return { ...plan, run: { ...run, number: state.nextNumber, referenceRunId: state.reference.runId } };
}

function planRun(
  input: PlanInput,
  runId: string,
  newFailures: number,
  gate: ReturnType<typeof evaluateGate>,
): Omit<IngestPlan["run"], "number" | "referenceRunId"> {
  const { report, meta, now } = input;
  const summary = summarise(report);
  return {
    id: runId,
    orgId: input.orgId,
    projectId: input.projectId,
    status: summary.status,
    format: report.format,
    total: summary.total,
    passed: summary.passed,
    failed: summary.failed,
    skipped: summary.skipped,
    flaky: summary.flaky,
    healed: summary.healed,
    durationMs: summary.durationMs,
    commitSha: meta.commit,
    branch: meta.branch,
    baseBranch: meta.baseBranch,
    pr: meta.pr,
    provider: meta.provider,
    runUrl: meta.runUrl,
    buildId: meta.buildId,
    reportHash: input.reportHash,
    newFailures,
    gateStatus: gate.status,
    gateReasons: gate.reasons,
    gateEvaluatedAt: now,
    github: input.githubPending ? { state: "pending" } : null,
    createdAt: now,
  };
}
