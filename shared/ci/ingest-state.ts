import { desc, eq, isNull, ne } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import type { SelectedFields, SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.ts";
import { inJson } from "../db/in-json.ts";
import { firstInOrg, selectColumnsInOrg } from "../db/org-scoped.ts";
import { ciClusters, ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";
import type { ExistingTest, Reference, RunMeta } from "./ingest-plan.ts";
import type { RunRow } from "./views.ts";

/** Reads of the state an upload meets (ingest-plan.ts turns it into a plan). */

/** Keys or signatures per `IN (json_each(?))` lookup. */
const LOOKUP_CHUNK = 2000;

/** A project's table of the upload's state, looked up by a key of its own (test key, failure signature). */
type ProjectTable = SQLiteTable & { orgId: SQLiteColumn; projectId: SQLiteColumn };

/**
 * The `columns` of the project's rows of `table` whose `column` is one of `values`: one
 * `IN (json_each(?))` lookup per slice of at most LOOKUP_CHUNK values.
 */
async function projectRowsIn<F extends SelectedFields, T extends ProjectTable>(
  db: Db,
  columns: F,
  table: T,
  orgId: string,
  projectId: string,
  column: SQLiteColumn,
  values: string[],
): Promise<SelectResultFields<F>[]> {
  const rows: unknown[] = [];
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
    const slice = values.slice(i, i + LOOKUP_CHUNK);
    rows.push(
      ...(await selectColumnsInOrg(
        db,
        columns,
        table,
        orgId,
        eq(table.projectId, projectId),
        inJson(column, slice),
      )),
    );
  }
  return rows as SelectResultFields<F>[];
}

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
  return firstInOrg(
    db,
    ciRuns,
    orgId,
    eq(ciRuns.projectId, projectId),
    provider === null ? isNull(ciRuns.provider) : eq(ciRuns.provider, provider),
    eq(ciRuns.buildId, buildId),
    eq(ciRuns.reportHash, reportHash),
  );
}

export async function loadTestsByKey(
  db: Db,
  orgId: string,
  projectId: string,
  keys: string[],
): Promise<Map<string, ExistingTest>> {
  const rows = await projectRowsIn(
    db,
    {
      id: ciTests.id,
      key: ciTests.key,
      name: ciTests.name,
      status: ciTests.status,
      quarantined: ciTests.quarantined,
      quarantineReason: ciTests.quarantineReason,
      quarantinedAt: ciTests.quarantinedAt,
      recent: ciTests.recent,
      lastCommit: ciTests.lastCommit,
      lastCommitOutcomes: ciTests.lastCommitOutcomes,
      consecutivePasses: ciTests.consecutivePasses,
      consecutiveFailures: ciTests.consecutiveFailures,
    },
    ciTests,
    orgId,
    projectId,
    ciTests.key,
    keys,
  );
  const out = new Map<string, ExistingTest>();
  for (const r of rows) {
    out.set(r.key, {
      id: r.id,
      name: r.name,
      status: r.status,
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
  return out;
}

export async function loadClustersBySignature(
  db: Db,
  orgId: string,
  projectId: string,
  signatures: string[],
): Promise<Map<string, string>> {
  const rows = await projectRowsIn(
    db,
    { id: ciClusters.id, signature: ciClusters.signature },
    ciClusters,
    orgId,
    projectId,
    ciClusters.signature,
    signatures,
  );
  return new Map(rows.map((r) => [r.signature, r.id]));
}

/**
 * The run "new failures" are measured against: the latest run on the base branch when one is given,
 * else the previous run on the same branch (else the project's latest run).
 */
export async function loadReference(
  db: Db,
  orgId: string,
  projectId: string,
  meta: RunMeta,
): Promise<Reference> {
  const branch = meta.baseBranch ?? meta.branch;
  const rows = await selectColumnsInOrg(
    db,
    { id: ciRuns.id, branch: ciRuns.branch, commitSha: ciRuns.commitSha },
    ciRuns,
    orgId,
    eq(ciRuns.projectId, projectId),
    branch === null ? undefined : eq(ciRuns.branch, branch),
    // A re-run of the same commit is not its own reference.
    meta.commit === null || meta.baseBranch !== null ? undefined : ne(ciRuns.commitSha, meta.commit),
  )
    .orderBy(desc(ciRuns.id))
    .limit(1);
  const ref = rows[0];
  if (!ref) return { runId: null, label: null, failingTestIds: new Set() };
  const failing = await selectColumnsInOrg(
    db,
    { testId: ciResults.testId },
    ciResults,
    orgId,
    eq(ciResults.runId, ref.id),
    eq(ciResults.status, "failed"),
  );
  const label = `${ref.branch ?? "run"}@${ref.commitSha?.slice(0, 7) ?? ref.id}`;
  return { runId: ref.id, label, failingTestIds: new Set(failing.map((f) => f.testId)) };
}

/** The number the next run of the project gets (a unique index turns a race into a retry). */
export async function loadNextRunNumber(db: Db, orgId: string, projectId: string): Promise<number> {
  const rows = await selectColumnsInOrg(
    db,
    { number: ciRuns.number },
    ciRuns,
    orgId,
    eq(ciRuns.projectId, projectId),
  )
    .orderBy(desc(ciRuns.number))
    .limit(1);
  return (rows[0]?.number ?? 0) + 1;
}
