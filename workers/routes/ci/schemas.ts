import { z } from "@hono/zod-openapi";
import type { ciClusters, ciResults, ciRuns, ciTests } from "../../../shared/db/schema/ci.ts";

/** Response shapes of the CI governor (docs/ci-api.md is the prose version; keep both in step). */
export const gateReasonSchema = z
  .object({
    rule: z.enum(["minPassRate", "noNewFailures", "noBrokenTests", "maxHealsBeforeWarning"]),
    status: z.enum(["pass", "fail", "warn"]),
    message: z.string(),
  })
  .openapi("GateReason");

export const gateSchema = z
  .object({
    status: z.enum(["pass", "fail", "warn"]),
    reasons: z.array(gateReasonSchema),
    evaluatedAt: z.number().int(),
  })
  .openapi("GateEvaluation");

export const runSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    status: z.enum(["passed", "failed"]),
    format: z.enum(["junit", "playwright"]),
    total: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    flaky: z.number().int(),
    healed: z.number().int(),
    durationMs: z.number().int(),
    commit: z.string().nullable(),
    branch: z.string().nullable(),
    baseBranch: z.string().nullable(),
    pr: z.number().int().nullable(),
    provider: z.string().nullable(),
    runUrl: z.string().nullable(),
    buildId: z.string().nullable(),
    createdAt: z.number().int(),
    newFailures: z.number().int(),
    gate: z.object({ status: z.enum(["pass", "fail", "warn"]), reasons: z.array(gateReasonSchema) }),
    github: z
      .object({
        state: z.enum(["pending", "reported", "failed"]),
        kind: z.enum(["check_run", "status"]).optional(),
        id: z.number().optional(),
        error: z.string().optional(),
        at: z.number().int().optional(),
      })
      .nullable()
      .openapi({ description: "Reporting the gate back to GitHub; null when no integration or no commit" }),
  })
  .openapi("Run");

export function toRun(row: typeof ciRuns.$inferSelect): z.infer<typeof runSchema> {
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
    github: (row.github as z.infer<typeof runSchema>["github"]) ?? null,
  };
}

export const resultSchema = z
  .object({
    id: z.string(),
    runId: z.string(),
    testId: z.string(),
    name: z.string(),
    suite: z.string(),
    file: z.string().nullable(),
    status: z.enum(["passed", "failed", "skipped", "flaky"]),
    durationMs: z.number().int(),
    retries: z.number().int(),
    healed: z.boolean(),
    quarantined: z.boolean(),
    message: z.string().nullable(),
    stack: z.string().nullable(),
    clusterId: z.string().nullable(),
    commit: z.string().nullable(),
    branch: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi("TestResult");

export function toResult(
  row: typeof ciResults.$inferSelect,
  test: { name: string; suite: string; file: string | null },
): z.infer<typeof resultSchema> {
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
  };
}

export const testSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    name: z.string(),
    suite: z.string(),
    file: z.string().nullable(),
    status: z.enum(["healthy", "flaky", "broken"]),
    quarantined: z.boolean(),
    quarantineReason: z.enum(["manual", "auto"]).nullable(),
    quarantinedAt: z.number().int().nullable(),
    lastOutcome: z.string().nullable(),
    lastRunId: z.string().nullable(),
    consecutivePasses: z.number().int(),
    stats: z.object({
      sampleSize: z.number().int(),
      failures: z.number().int(),
      failureRate: z.number(),
      wilson: z.object({ low: z.number(), high: z.number() }),
      lastFlipAt: z.number().int().nullable(),
    }),
    firstSeenAt: z.number().int(),
    lastSeenAt: z.number().int(),
  })
  .openapi("Test");

export function toTest(row: typeof ciTests.$inferSelect): z.infer<typeof testSchema> {
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
  };
}

export const clusterSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    signature: z.string(),
    errorType: z.string().nullable(),
    sampleMessage: z.string(),
    sampleStack: z.string().nullable(),
    count: z.number().int(),
    testsAffected: z.number().int(),
    firstSeen: z.object({ runId: z.string(), commit: z.string().nullable(), at: z.number().int() }),
    lastSeen: z.object({ runId: z.string(), at: z.number().int() }),
  })
  .openapi("FailureCluster");

export function toCluster(
  row: typeof ciClusters.$inferSelect,
  testsAffected: number,
): z.infer<typeof clusterSchema> {
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
