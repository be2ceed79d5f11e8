import { and, desc, eq, isNull, ne, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import { type Db, isUniqueViolation } from "../db/client.ts";
import { ciClusters, ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";
import { newId } from "../ids.ts";
import { batchable } from "./batchable.ts";
import { signaturesFor } from "./clustering.ts";
import {
  appendOutcome,
  DEFAULT_FLAKY_POLICY,
  EMPTY_HISTORY,
  type FlakyPolicy,
  flakyStats,
  lastEntryIsFlake,
  nextQuarantine,
  type TestHistory,
} from "./flaky.ts";
import { evaluateGate } from "./gate.ts";
import { type FailureDetail, type ParsedReport, summarise, testKey } from "./report.ts";
import { loadCiSettings } from "./settings.ts";

/**
 * Ingest of one parsed report, in one pass over its tests and ONE atomic D1 batch (with its audit row).
 *
 * D1 allows 100 bound parameters per statement, which would mean ~7 result rows per INSERT and ~1,500
 * statements for 10k tests (beyond the per-invocation query limit). Instead each statement binds one
 * JSON array of rows and expands it with `json_each`: a 10k-test upload is ~30 statements of ≤256 KiB
 * of JSON each.
 */
export type RunMeta = {
  commit: string | null;
  branch: string | null;
  baseBranch: string | null;
  pr: number | null;
  provider: string | null;
  runUrl: string | null;
  buildId: string | null;
};

export type IngestInput = {
  orgId: string;
  projectId: string;
  report: ParsedReport;
  reportHash: string;
  meta: RunMeta;
  /** Whether a GitHub report will follow (stored as `github: {state: "pending"}`). */
  githubPending: boolean;
  now?: number;
  policy?: FlakyPolicy;
};

export type RunRow = typeof ciRuns.$inferSelect;

export type IngestOutcome = { run: RunRow; created: boolean; quarantined: string[]; released: string[] };

const CHUNK_BYTES = 256 * 1024;
const KEY_LOOKUP_CHUNK = 2000;
const MAX_ATTEMPTS = 3;

/** The run this upload already created (same provider + buildId + report bytes), if any. */
export async function findDuplicateRun(
  db: Db,
  orgId: string,
  projectId: string,
  provider: string | null,
  buildId: string | null,
  reportHash: string,
): Promise<RunRow | null> {
  if (!buildId) return null;
  const rows = await db
    .select()
    .from(ciRuns)
    .where(
      and(
        eq(ciRuns.orgId, orgId),
        eq(ciRuns.projectId, projectId),
        provider === null ? isNull(ciRuns.provider) : eq(ciRuns.provider, provider),
        eq(ciRuns.buildId, buildId),
        eq(ciRuns.reportHash, reportHash),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

export async function ingestRun(db: Db, input: IngestInput, ctx: AuditContext): Promise<IngestOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestOnce(db, input, ctx);
    } catch (error) {
      if (isUniqueViolation(error, "ci_runs")) {
        const existing = await findDuplicateRun(
          db,
          input.orgId,
          input.projectId,
          input.meta.provider,
          input.meta.buildId,
          input.reportHash,
        );
        if (existing) return { run: existing, created: false, quarantined: [], released: [] };
      }
      // A concurrent upload created the same new test or cluster first: recompute on the new state.
      const raced = isUniqueViolation(error, "ci_tests") || isUniqueViolation(error, "ci_clusters");
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

type ExistingTest = {
  id: string;
  name: string;
  quarantined: boolean;
  quarantineReason: "manual" | "auto" | null;
  quarantinedAt: number | null;
  history: TestHistory;
};

async function ingestOnce(db: Db, input: IngestInput, ctx: AuditContext): Promise<IngestOutcome> {
  const { orgId, projectId, report, meta } = input;
  const now = input.now ?? Date.now();
  const policy = input.policy ?? DEFAULT_FLAKY_POLICY;
  const runId = newId("run", now);
  const keys = report.tests.map(testKey);

  const [settings, existing, reference] = await Promise.all([
    loadCiSettings(db, orgId, projectId),
    loadTestsByKey(db, orgId, projectId, keys),
    loadReference(db, orgId, projectId, meta),
  ]);

  // Failure clusters: one signature per failure detail, hashed once per distinct normal form.
  const failing: { index: number; failure: FailureDetail }[] = [];
  report.tests.forEach((t, index) => {
    if (t.failure && (t.status === "failed" || t.status === "flaky"))
      failing.push({ index, failure: t.failure });
  });
  const signatures = await signaturesFor(failing.map((f) => f.failure));
  const clusterByIndex = new Map<number, string>();
  const existingClusters = await loadClustersBySignature(db, orgId, projectId, [...new Set(signatures)]);
  const newClusters = new Map<string, { id: string; failure: FailureDetail; count: number }>();
  const bumpedClusters = new Map<string, number>();
  failing.forEach(({ index, failure }, i) => {
    const sig = signatures[i]!;
    const known = existingClusters.get(sig);
    if (known) {
      bumpedClusters.set(known, (bumpedClusters.get(known) ?? 0) + 1);
      clusterByIndex.set(index, known);
      return;
    }
    let fresh = newClusters.get(sig);
    if (!fresh) {
      fresh = { id: newId("cls", now), failure, count: 0 };
      newClusters.set(sig, fresh);
    }
    fresh.count++;
    clusterByIndex.set(index, fresh.id);
  });

  const newTestRows: unknown[][] = [];
  const updatedTestRows: unknown[][] = [];
  const resultRows: unknown[][] = [];
  const quarantined: string[] = [];
  const released: string[] = [];
  const gateCounts = { passed: 0, flaky: 0, failed: 0, healed: 0, newFailures: 0, quarantinedFailures: 0 };
  const brokenTests: string[] = [];
  let newFailuresTotal = 0;

  report.tests.forEach((t, index) => {
    const key = keys[index]!;
    const prev = existing.get(key);
    const testId = prev?.id ?? newId("tst", now);
    const history = appendOutcome(prev?.history ?? EMPTY_HISTORY, t.status, now, meta.commit, policy);
    const stats = flakyStats(history.recent, now, policy);
    const flakyNow = t.status !== "skipped" && lastEntryIsFlake(history.recent);
    const q = nextQuarantine(
      { quarantined: prev?.quarantined ?? false, reason: prev?.quarantineReason ?? null },
      stats.status,
      history.consecutivePasses,
      settings,
      flakyNow,
    );
    let quarantinedAt = prev?.quarantinedAt ?? null;
    let consecutivePasses = history.consecutivePasses;
    if (q.change === "quarantined") {
      quarantined.push(testId);
      quarantinedAt = now;
      consecutivePasses = 0;
    } else if (q.change === "released") {
      released.push(testId);
      quarantinedAt = null;
    }
    const isQuarantined = q.state.quarantined;
    const isNewFailure = t.status === "failed" && !reference.failingTestIds.has(testId);
    if (isNewFailure) newFailuresTotal++;
    if (isQuarantined) {
      if (t.status === "failed") gateCounts.quarantinedFailures++;
    } else {
      if (t.status === "passed") gateCounts.passed++;
      else if (t.status === "flaky") gateCounts.flaky++;
      else if (t.status === "failed") gateCounts.failed++;
      if (t.healed) gateCounts.healed++;
      if (isNewFailure) gateCounts.newFailures++;
      if (stats.status === "broken") brokenTests.push(t.name);
    }
    const mutable = [
      stats.status,
      isQuarantined ? 1 : 0,
      q.state.reason,
      quarantinedAt,
      history.recent,
      history.lastCommit,
      history.lastCommitOutcomes,
      consecutivePasses,
      history.consecutiveFailures,
      stats.sampleSize,
      stats.failures,
      stats.failureRate,
      stats.wilsonLow,
      stats.wilsonHigh,
      stats.lastFlipAt,
      t.status,
      runId,
      now,
      now,
    ];
    if (prev) updatedTestRows.push([testId, ...mutable]);
    else newTestRows.push([testId, key, t.file, t.suite, t.name, now, ...mutable]);
    resultRows.push([
      newId("res", now),
      testId,
      t.status,
      Math.round(t.durationMs),
      t.retries,
      t.healed ? 1 : 0,
      isQuarantined ? 1 : 0,
      t.failure?.message ?? null,
      t.failure?.stack ?? null,
      clusterByIndex.get(index) ?? null,
    ]);
  });

  const summary = summarise(report);
  const gate = evaluateGate(settings, {
    ...gateCounts,
    reference: reference.label,
    brokenTests,
  });
  const run: RunRow = {
    id: runId,
    orgId,
    projectId,
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
    newFailures: newFailuresTotal,
    gateStatus: gate.status,
    gateReasons: gate.reasons,
    gateEvaluatedAt: now,
    github: input.githubPending ? { state: "pending" } : null,
    createdAt: now,
  };

  const testInsertChunks = chunkRows(newTestRows);
  const testUpdateChunks = chunkRows(updatedTestRows);
  const resultChunks = chunkRows(resultRows);
  const newClusterChunks = chunkRows(
    [...newClusters.entries()].map(([sig, c]) => [
      c.id,
      sig,
      c.failure.type,
      c.failure.message,
      c.failure.stack,
      c.count,
    ]),
  );
  const bumpChunks = chunkRows([...bumpedClusters.entries()].map(([id, n]) => [id, n]));

  await auditedBatch(
    db,
    orgId,
    ctx,
    {
      action: "run.ingest",
      targetType: "run",
      targetId: runId,
      changes: {
        projectId,
        format: report.format,
        total: summary.total,
        failed: summary.failed,
        gate: gate.status,
        newTests: newTestRows.length,
        newClusters: newClusters.size,
        quarantined: quarantined.slice(0, 50),
        released: released.slice(0, 50),
      },
    },
    () => {
      const statements: BatchItem<"sqlite">[] = [];
      for (const chunk of testInsertChunks) {
        statements.push(
          jsonInsert(
            db,
            "ci_tests",
            [...TEST_IDENTITY_COLUMNS, ...TEST_MUTABLE_COLUMNS],
            { org_id: orgId, project_id: projectId },
            chunk,
          ),
        );
      }
      for (const chunk of testUpdateChunks) statements.push(jsonUpdateTests(db, orgId, chunk));
      statements.push(db.insert(ciRuns).values(run));
      for (const chunk of newClusterChunks) {
        statements.push(
          jsonInsert(
            db,
            "ci_clusters",
            ["id", "signature", "error_type", "sample_message", "sample_stack", "count"],
            {
              org_id: orgId,
              project_id: projectId,
              first_run_id: runId,
              first_commit: meta.commit,
              first_seen_at: now,
              last_run_id: runId,
              last_seen_at: now,
            },
            chunk,
          ),
        );
      }
      for (const chunk of bumpChunks) {
        statements.push(
          batchable(
            db,
            sql`UPDATE ci_clusters SET count = count + json_extract(j.value, '$[1]'), last_run_id = ${runId},
            last_seen_at = ${now} FROM json_each(${chunk}) AS j
            WHERE ci_clusters.id = json_extract(j.value, '$[0]') AND +ci_clusters.org_id = ${orgId}`,
          ),
        );
      }
      for (const chunk of resultChunks) {
        statements.push(
          jsonInsert(
            db,
            "ci_results",
            [
              "id",
              "test_id",
              "status",
              "duration_ms",
              "retries",
              "healed",
              "quarantined",
              "message",
              "stack",
              "cluster_id",
            ],
            {
              org_id: orgId,
              project_id: projectId,
              run_id: runId,
              commit_sha: meta.commit,
              branch: meta.branch,
              created_at: now,
            },
            chunk,
          ),
        );
      }
      return statements;
    },
  );
  return { run, created: true, quarantined, released };
}

const TEST_IDENTITY_COLUMNS = ["id", "key", "file", "suite", "name", "first_seen_at"];
/** Columns an upload rewrites on every test it touches (order = the row arrays built above). */
const TEST_MUTABLE_COLUMNS = [
  "status",
  "quarantined",
  "quarantine_reason",
  "quarantined_at",
  "recent",
  "last_commit",
  "last_commit_outcomes",
  "consecutive_passes",
  "consecutive_failures",
  "sample_size",
  "failures",
  "failure_rate",
  "wilson_low",
  "wilson_high",
  "last_flip_at",
  "last_outcome",
  "last_run_id",
  "last_seen_at",
  "stats_at",
];

/** Splits rows into JSON arrays of at most CHUNK_BYTES (one bound parameter each). */
export function chunkRows(rows: unknown[][], maxBytes = CHUNK_BYTES): string[] {
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (parts.length > 0 && size + json.length + 1 > maxBytes) {
      chunks.push(`[${parts.join(",")}]`);
      parts = [];
      size = 2;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length > 0) chunks.push(`[${parts.join(",")}]`);
  return chunks;
}

const at = (i: number) => sql.raw(`json_extract(j.value, '$[${i}]')`);

/** INSERT … SELECT over json_each: row values by position, then per-statement constants. */
function jsonInsert(
  db: Db,
  table: string,
  rowColumns: string[],
  constants: Record<string, unknown>,
  chunk: string,
) {
  const constNames = Object.keys(constants);
  const values: SQL[] = [
    ...rowColumns.map((_, i) => at(i)),
    ...constNames.map((k) => sql`${constants[k] ?? null}`),
  ];
  const names = [...rowColumns, ...constNames].join(", ");
  return batchable(
    db,
    sql`INSERT INTO ${sql.raw(table)} (${sql.raw(names)}) SELECT ${sql.join(values, sql`, `)} FROM json_each(${chunk}) AS j`,
  );
}

/**
 * UPDATE … FROM json_each joined on the primary key. The org filter is written `+ci_tests.org_id` so
 * SQLite cannot use it as an index: otherwise it scans the org's tests for every JSON row (O(n·m), minutes
 * for 10k tests) instead of one primary-key lookup per row.
 */
function jsonUpdateTests(db: Db, orgId: string, chunk: string) {
  const sets = sql.join(
    TEST_MUTABLE_COLUMNS.map((name, i) => sql`${sql.raw(name)} = ${at(i + 1)}`),
    sql`, `,
  );
  return batchable(
    db,
    sql`UPDATE ci_tests SET ${sets} FROM json_each(${chunk}) AS j WHERE ci_tests.id = ${at(0)} AND +ci_tests.org_id = ${orgId}`,
  );
}

async function loadTestsByKey(
  db: Db,
  orgId: string,
  projectId: string,
  keys: string[],
): Promise<Map<string, ExistingTest>> {
  const out = new Map<string, ExistingTest>();
  for (let i = 0; i < keys.length; i += KEY_LOOKUP_CHUNK) {
    const slice = JSON.stringify(keys.slice(i, i + KEY_LOOKUP_CHUNK));
    const rows = await db
      .select({
        id: ciTests.id,
        key: ciTests.key,
        name: ciTests.name,
        quarantined: ciTests.quarantined,
        quarantineReason: ciTests.quarantineReason,
        quarantinedAt: ciTests.quarantinedAt,
        recent: ciTests.recent,
        lastCommit: ciTests.lastCommit,
        lastCommitOutcomes: ciTests.lastCommitOutcomes,
        consecutivePasses: ciTests.consecutivePasses,
        consecutiveFailures: ciTests.consecutiveFailures,
      })
      .from(ciTests)
      .where(
        and(
          eq(ciTests.orgId, orgId),
          eq(ciTests.projectId, projectId),
          sql`${ciTests.key} IN (SELECT value FROM json_each(${slice}))`,
        ),
      );
    for (const r of rows) {
      out.set(r.key, {
        id: r.id,
        name: r.name,
        quarantined: r.quarantined,
        quarantineReason: r.quarantineReason,
        quarantinedAt: r.quarantinedAt,
        history: {
          recent: r.recent,
          lastCommit: r.lastCommit,
          lastCommitOutcomes: r.lastCommitOutcomes,
          consecutivePasses: r.consecutivePasses,
          consecutiveFailures: r.consecutiveFailures,
        },
      });
    }
  }
  return out;
}

async function loadClustersBySignature(
  db: Db,
  orgId: string,
  projectId: string,
  signatures: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < signatures.length; i += KEY_LOOKUP_CHUNK) {
    const slice = JSON.stringify(signatures.slice(i, i + KEY_LOOKUP_CHUNK));
    const rows = await db
      .select({ id: ciClusters.id, signature: ciClusters.signature })
      .from(ciClusters)
      .where(
        and(
          eq(ciClusters.orgId, orgId),
          eq(ciClusters.projectId, projectId),
          sql`${ciClusters.signature} IN (SELECT value FROM json_each(${slice}))`,
        ),
      );
    for (const r of rows) out.set(r.signature, r.id);
  }
  return out;
}

/**
 * The run "new failures" are measured against: the latest run on the base branch when one is given,
 * else the previous run on the same branch (else the project's latest run).
 */
async function loadReference(
  db: Db,
  orgId: string,
  projectId: string,
  meta: RunMeta,
): Promise<{ label: string | null; failingTestIds: Set<string> }> {
  const branch = meta.baseBranch ?? meta.branch;
  const rows = await db
    .select({ id: ciRuns.id, branch: ciRuns.branch, commitSha: ciRuns.commitSha })
    .from(ciRuns)
    .where(
      and(
        eq(ciRuns.orgId, orgId),
        eq(ciRuns.projectId, projectId),
        branch === null ? undefined : eq(ciRuns.branch, branch),
        // A re-run of the same commit is not its own reference.
        meta.commit === null || meta.baseBranch !== null ? undefined : ne(ciRuns.commitSha, meta.commit),
      ),
    )
    .orderBy(desc(ciRuns.id))
    .limit(1);
  const ref = rows[0];
  if (!ref) return { label: null, failingTestIds: new Set() };
  const failing = await db
    .select({ testId: ciResults.testId })
    .from(ciResults)
    .where(and(eq(ciResults.orgId, orgId), eq(ciResults.runId, ref.id), eq(ciResults.status, "failed")));
  const label = `${ref.branch ?? "run"}@${ref.commitSha?.slice(0, 7) ?? ref.id}`;
  return { label, failingTestIds: new Set(failing.map((f) => f.testId)) };
}
