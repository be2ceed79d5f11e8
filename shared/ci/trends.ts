import { and, count, desc, eq, gte, sql } from "drizzle-orm";
import type { CiTrends, TrendPoint, TrendsQuery } from "../contract/ci.ts";
import type { Db } from "../db/client.ts";
import { inJson } from "../db/in-json.ts";
import { selectColumnsInOrg } from "../db/org-scoped.ts";
import { ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";
import { quantile } from "../stats.ts";
import { requireCiProject } from "./project.ts";
import type { RunRow } from "./views.ts";

/**
 * CI trends of a project (docs/ci-api.md), per UTC day over a window, optionally of one branch: pass rate,
 * run duration p50/p95, flaky and healed results, heal rate; the slowest tests; how many tests are flaky.
 */

const DAY_MS = 86_400_000;
/** Runs a window counts at most (the newest); `runsCounted` says how many were. */
export const TRENDS_MAX_RUNS = 2000;
/** The slowest tests are measured over this many of the newest runs in the window. */
const SLOWEST_RUNS = 200;
const SLOWEST_TESTS = 10;

type RunFigures = Pick<
  RunRow,
  "id" | "createdAt" | "total" | "passed" | "failed" | "skipped" | "flaky" | "healed" | "durationMs"
>;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One point per day from the window's first day to today, days without runs included (runs: 0). */
export function dailyPoints(runs: RunFigures[], days: number, now: number): TrendPoint[] {
  const byDay = new Map<string, RunFigures[]>();
  for (const run of runs) {
    const day = dayOf(run.createdAt);
    const list = byDay.get(day);
    if (list) list.push(run);
    else byDay.set(day, [run]);
  }
  const points: TrendPoint[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = dayOf(now - i * DAY_MS);
    const list = byDay.get(day) ?? [];
    const ran = list.reduce((n, r) => n + r.total - r.skipped, 0);
    const passed = list.reduce((n, r) => n + r.passed + r.flaky, 0);
    const healed = list.reduce((n, r) => n + r.healed, 0);
    const durations = list.map((r) => r.durationMs);
    const latest = list.reduce<RunFigures | null>((a, r) => (a === null || r.id > a.id ? r : a), null);
    points.push({
      day,
      runs: list.length,
      passRate: ran > 0 ? passed / ran : null,
      durationP50: quantile(durations, 0.5),
      durationP95: quantile(durations, 0.95),
      flaky: list.reduce((n, r) => n + r.flaky, 0),
      healed,
      healRate: ran > 0 ? healed / ran : null,
      latestRunId: latest?.id ?? null,
    });
  }
  return points;
}

export async function ciTrends(
  db: Db,
  orgId: string,
  projectId: string,
  query: TrendsQuery,
  now = Date.now(),
): Promise<CiTrends> {
  await requireCiProject(db, orgId, projectId);
  const { branch, days } = query;
  // From the start of the window's first UTC day, so its first point counts the whole day.
  const since = Date.parse(dayOf(now - (days - 1) * DAY_MS));
  const runs = await selectColumnsInOrg(
    db,
    {
      id: ciRuns.id,
      createdAt: ciRuns.createdAt,
      total: ciRuns.total,
      passed: ciRuns.passed,
      failed: ciRuns.failed,
      skipped: ciRuns.skipped,
      flaky: ciRuns.flaky,
      healed: ciRuns.healed,
      durationMs: ciRuns.durationMs,
    },
    ciRuns,
    orgId,
    eq(ciRuns.projectId, projectId),
    gte(ciRuns.createdAt, since),
    branch ? eq(ciRuns.branch, branch) : undefined,
  )
    .orderBy(desc(ciRuns.id))
    .limit(TRENDS_MAX_RUNS);
  const [slowest, flaky] = await Promise.all([
    slowestTests(
      db,
      orgId,
      runs.slice(0, SLOWEST_RUNS).map((r) => r.id),
    ),
    db
      .select({ n: count() })
      .from(ciTests)
      .where(and(eq(ciTests.orgId, orgId), eq(ciTests.projectId, projectId), eq(ciTests.status, "flaky"))),
  ]);
  return {
    branch: branch ?? null,
    days,
    points: dailyPoints(runs, days, now),
    slowest,
    flakyTests: flaky[0]?.n ?? 0,
    runsCounted: runs.length,
  };
}

async function slowestTests(db: Db, orgId: string, runIds: string[]): Promise<CiTrends["slowest"]> {
  if (runIds.length === 0) return [];
  const avg = sql<number>`avg(${ciResults.durationMs})`;
  const rows = await db
    .select({
      testId: ciResults.testId,
      name: ciTests.name,
      file: ciTests.file,
      suite: ciTests.suite,
      results: count(),
      avg,
      max: sql<number>`max(${ciResults.durationMs})`,
    })
    .from(ciResults)
    .innerJoin(ciTests, and(eq(ciTests.id, ciResults.testId), eq(ciTests.orgId, orgId)))
    .where(
      and(eq(ciResults.orgId, orgId), inJson(ciResults.runId, runIds), sql`${ciResults.status} != 'skipped'`),
    )
    .groupBy(ciResults.testId)
    .orderBy(desc(avg))
    .limit(SLOWEST_TESTS);
  return rows.map((r) => ({
    testId: r.testId,
    name: r.name,
    file: r.file,
    suite: r.suite,
    results: r.results,
    avgDurationMs: Math.round(r.avg),
    maxDurationMs: r.max,
  }));
}
