import { desc, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { inJson } from "../db/in-json.ts";
import { firstInOrg, selectColumnsInOrg } from "../db/org-scoped.ts";
import { ciClusters, ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";
import type { ExistingTest, Reference, RunMeta } from "./ingest-plan.ts";
import type { RunRow } from "./views.ts";

/** Reads of the state an upload meets (ingest-plan.ts turns it into a plan). */

/** Keys or signatures per `IN (json_each(?))` lookup. */
const LOOKUP_CHUNK = 2000;

/** `values` in slices of at most LOOKUP_CHUNK, one lookup each. */
function* chunks(values: string[]): Generator<string[]> {
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) yield values.slice(i, i + LOOKUP_CHUNK);
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
  const out = new Map<string, ExistingTest>();
  for (const slice of chunks(keys)) {
    const rows = await selectColumnsInOrg(
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
      eq(ciTests.projectId, projectId),
      inJson(ciTests.key, slice),
    );
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
  }
  return out;
}

export async function loadClustersBySignature(
  db: Db,
  orgId: string,
  projectId: string,
  signatures: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const slice of chunks(signatures)) {
    const rows = await selectColumnsInOrg(
      db,
      { id: ciClusters.id, signature: ciClusters.signature },
      ciClusters,
      orgId,
      eq(ciClusters.projectId, projectId),
      inJson(ciClusters.signature, slice),
    );
    for (const r of rows) out.set(r.signature, r.id);
  }
  return out;
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
