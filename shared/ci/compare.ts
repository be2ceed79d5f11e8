import { and, eq } from "drizzle-orm";
import type { ComparedResult, CompareSort, RunComparison } from "../contract/ci.ts";
import type { Db } from "../db/client.ts";
import { inJson } from "../db/in-json.ts";
import { findInOrg, requireInOrg } from "../db/org-scoped.ts";
import { ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";
import { toResult } from "./views.ts";

/**
 * Run triage (docs/ci-api.md): every result of a run beside the same test's result in the run's
 * reference run — the run "new failures" were measured against at ingest — sorted server-side.
 */

/** One comparison lists at most this many results (a run of more is marked `truncated`). */
export const COMPARE_MAX_RESULTS = 5000;

/** Failures first: the order a person triaging a run reads it in. */
const STATUS_RANK: Record<ComparedResult["status"], number> = { failed: 0, flaky: 1, passed: 2, skipped: 3 };

const byName = (a: ComparedResult, b: ComparedResult) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export const COMPARATORS: Record<CompareSort, (a: ComparedResult, b: ComparedResult) => number> = {
  // Within failures, new ones before those that already failed in the reference run.
  status: (a, b) =>
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    Number(b.newFailure) - Number(a.newFailure) ||
    byName(a, b),
  duration: (a, b) => b.durationMs - a.durationMs || byName(a, b),
  name: byName,
};

export async function compareRun(
  db: Db,
  orgId: string,
  runId: string,
  sort: CompareSort,
): Promise<RunComparison> {
  const run = await requireInOrg(db, ciRuns, orgId, runId, "Run");
  const rows = await db
    .select({
      result: ciResults,
      name: ciTests.name,
      suite: ciTests.suite,
      file: ciTests.file,
      testQuarantined: ciTests.quarantined,
    })
    .from(ciResults)
    .innerJoin(ciTests, and(eq(ciTests.id, ciResults.testId), eq(ciTests.orgId, orgId)))
    .where(and(eq(ciResults.orgId, orgId), eq(ciResults.runId, runId)))
    .limit(COMPARE_MAX_RESULTS + 1);
  const truncated = rows.length > COMPARE_MAX_RESULTS;
  const mine = rows.slice(0, COMPARE_MAX_RESULTS);

  const ref = run.referenceRunId ? await findInOrg(db, ciRuns, orgId, run.referenceRunId) : null;
  const base = new Map<string, { status: ComparedResult["status"]; durationMs: number }>();
  if (ref) {
    // The reference run's results of these tests; the ids go as one JSON parameter (D1 binds ≤ 100).
    const testIds = mine.map((r) => r.result.testId);
    const found = await db
      .select({ testId: ciResults.testId, status: ciResults.status, durationMs: ciResults.durationMs })
      .from(ciResults)
      .where(and(eq(ciResults.orgId, orgId), eq(ciResults.runId, ref.id), inJson(ciResults.testId, testIds)));
    for (const f of found) base.set(f.testId, { status: f.status, durationMs: f.durationMs });
  }
  const items = mine.map((r) => ({
    ...toResult(r.result, r),
    testQuarantined: r.testQuarantined,
    base: base.get(r.result.testId) ?? null,
  }));
  items.sort(COMPARATORS[sort]);
  return {
    runId,
    reference: ref
      ? {
          id: ref.id,
          number: ref.number,
          branch: ref.branch,
          commit: ref.commitSha,
          createdAt: ref.createdAt,
        }
      : null,
    items,
    truncated,
  };
}
