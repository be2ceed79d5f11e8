import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { ciResults, ciTests } from "../../db/schema/ci.ts";

/**
 * Which of a project's tests a change touches, from the project's own CI data: a changed test file
 * (1.0), a test named after a changed source file (`cart.ts` ↔ `cart.spec.ts`, 0.8), a test near a
 * changed file (shared directories, up to 0.5); plus how often each failed in the last 14 days.
 */
export type ImpactedTest = {
  id: string;
  name: string;
  file: string | null;
  status: "healthy" | "flaky" | "broken";
  score: number;
  reason: string;
  recentFailures: number;
};

const MAX_TESTS_SCANNED = 5000;
const HISTORY_MS = 14 * 24 * 60 * 60 * 1000;

const stem = (path: string) =>
  (path.split("/").pop() ?? path).replace(/\.(spec|test|e2e|cy)(?=\.)/, "").replace(/\.[^.]+$/, "");
const dirs = (path: string) => path.split("/").slice(0, -1);

/** Shared leading directories over the longer of the two, 0..1. */
function proximity(a: string, b: string): number {
  const da = dirs(a);
  const db = dirs(b);
  let shared = 0;
  while (shared < da.length && shared < db.length && da[shared] === db[shared]) shared++;
  const longest = Math.max(da.length, db.length);
  return longest === 0 ? 0 : shared / longest;
}

export function scoreTest(testFile: string, changed: string[]): { score: number; reason: string } {
  let best = { score: 0, reason: "" };
  for (const file of changed) {
    const candidate =
      file === testFile
        ? { score: 1, reason: `test file changed (${file})` }
        : stem(file) === stem(testFile) && stem(file).length > 2
          ? { score: 0.8, reason: `tests ${file}` }
          : { score: 0.5 * proximity(file, testFile), reason: `near ${file}` };
    if (candidate.score > best.score) best = candidate;
  }
  return best;
}

export async function impactedTests(
  db: Db,
  orgId: string,
  projectId: string,
  changed: string[],
  now: number,
  limit = 20,
): Promise<ImpactedTest[]> {
  const tests = await db
    .select({
      id: ciTests.id,
      name: ciTests.name,
      file: ciTests.file,
      suite: ciTests.suite,
      status: ciTests.status,
    })
    .from(ciTests)
    .where(and(eq(ciTests.orgId, orgId), eq(ciTests.projectId, projectId)))
    .limit(MAX_TESTS_SCANNED);
  const scored = tests
    .map((t) => ({ ...t, ...scoreTest(t.file ?? t.suite, changed) }))
    .filter((t) => t.score >= 0.25)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
  if (scored.length === 0) return [];
  const failures = await db
    .select({ testId: ciResults.testId, n: sql<number>`count(*)` })
    .from(ciResults)
    .where(
      and(
        eq(ciResults.orgId, orgId),
        inArray(
          ciResults.testId,
          scored.map((t) => t.id),
        ),
        eq(ciResults.status, "failed"),
        gte(ciResults.createdAt, now - HISTORY_MS),
      ),
    )
    .groupBy(ciResults.testId);
  const failed = new Map(failures.map((f) => [f.testId, Number(f.n)]));
  return scored.map((t) => ({
    id: t.id,
    name: t.name,
    file: t.file,
    status: t.status,
    score: Math.round(t.score * 100) / 100,
    reason: t.reason,
    recentFailures: failed.get(t.id) ?? 0,
  }));
}
