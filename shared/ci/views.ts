import type { CiTest, Cluster, GithubIntegration, Run, RunGithub, TestResult } from "../contract/ci.ts";
import type { ciClusters, ciGithub, ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";

/** Stored CI rows as the API shows them (shapes in shared/contract/ci.ts). */

export type RunRow = typeof ciRuns.$inferSelect;
type TestRow = typeof ciTests.$inferSelect;
type ResultRow = typeof ciResults.$inferSelect;
type ClusterRow = typeof ciClusters.$inferSelect;

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    projectId: row.projectId,
    status: row.status,
    format: row.format,
    total: row.total,
    passed: row.passed,
    failed: row.failed,
    skipped: row.skipped,
    flaky: row.flaky,
    healed: row.healed,
    durationMs: row.durationMs,
    commit: row.commitSha,
    branch: row.branch,
    baseBranch: row.baseBranch,
    pr: row.pr,
    provider: row.provider,
    runUrl: row.runUrl,
    buildId: row.buildId,
    createdAt: row.createdAt,
    newFailures: row.newFailures,
    gate: { status: row.gateStatus, reasons: row.gateReasons },
    github: (row.github as RunGithub) ?? null,
    number: row.number,
    referenceRunId: row.referenceRunId,
  };
}

/** A result with the identity of its test (name, suite, file live on the test row). */
export function toResult(
  row: ResultRow,
  test: { name: string; suite: string; file: string | null },
): TestResult {
  return {
    id: row.id,
    runId: row.runId,
    testId: row.testId,
    name: test.name,
    suite: test.suite,
    file: test.file,
    status: row.status,
    durationMs: row.durationMs,
    retries: row.retries,
    healed: row.healed,
    quarantined: row.quarantined,
    message: row.message,
    stack: row.stack,
    clusterId: row.clusterId,
    commit: row.commitSha,
    branch: row.branch,
    createdAt: row.createdAt,
    newFailure: row.newFailure,
  };
}

export function toTest(row: TestRow): CiTest {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    suite: row.suite,
    file: row.file,
    status: row.status,
    quarantined: row.quarantined,
    quarantineReason: row.quarantineReason,
    quarantinedAt: row.quarantinedAt,
    lastOutcome: row.lastOutcome,
    lastRunId: row.lastRunId,
    consecutivePasses: row.consecutivePasses,
    stats: {
      sampleSize: row.sampleSize,
      failures: row.failures,
      failureRate: row.failureRate,
      wilson: { low: row.wilsonLow, high: row.wilsonHigh },
      lastFlipAt: row.lastFlipAt,
    },
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    tags: row.tags,
  };
}

export function toCluster(row: ClusterRow, testsAffected: number): Cluster {
  return {
    id: row.id,
    projectId: row.projectId,
    signature: row.signature,
    errorType: row.errorType,
    sampleMessage: row.sampleMessage,
    sampleStack: row.sampleStack,
    count: row.count,
    testsAffected,
    firstSeen: { runId: row.firstRunId, commit: row.firstCommit, at: row.firstSeenAt },
    lastSeen: { runId: row.lastRunId, at: row.lastSeenAt },
  };
}

/** The token is never shown again: only its last 4 characters. */
export function toGithubIntegration(
  row: Pick<typeof ciGithub.$inferSelect, "owner" | "repo" | "tokenHint" | "updatedAt">,
): GithubIntegration {
  return { owner: row.owner, repo: row.repo, token: `…${row.tokenHint}`, updatedAt: row.updatedAt };
}
