import { and, asc, lt, ne } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client.ts";
import { ciTests } from "../db/schema/ci.ts";
import type { JobOutcome } from "../jobs/job-runs.ts";
import { DEFAULT_FLAKY_POLICY, FLAKY_STATS_KEYS, type FlakyPolicy, flakyStats } from "./flaky.ts";
import { jsonUpdates } from "./json-rows.ts";

/** The columns a rollup recomputes. */
const STATS_KEYS = [...FLAKY_STATS_KEYS, "statsAt"] as const;

/** Stats older than this are recomputed (results age out of the 14-day window even without uploads). */
export const STATS_MAX_AGE_MS = 6 * 3600 * 1000;
/** Tests refreshed per cron tick: bounded so one tick stays well inside the cron CPU budget. */
export const ROLLUP_BATCH = 2000;

/**
 * Cron rollup (every 5 minutes): recomputes the denormalised flaky stats of tests whose stats are
 * stale, oldest first. Idempotent: recomputing from the stored history at the same time is a no-op,
 * and runJobOnce keeps one run per tick.
 */
export async function refreshTestStats(
  db: Db,
  now: number,
  policy: FlakyPolicy = DEFAULT_FLAKY_POLICY,
  batch = ROLLUP_BATCH,
): Promise<JobOutcome> {
  const rows = await db
    .select({ id: ciTests.id, orgId: ciTests.orgId, recent: ciTests.recent, status: ciTests.status })
    .from(ciTests)
    .where(and(lt(ciTests.statsAt, now - STATS_MAX_AGE_MS), ne(ciTests.recent, "")))
    .orderBy(asc(ciTests.statsAt))
    .limit(batch);
  if (rows.length === 0) return { status: "skipped", counts: { tests: 0 } };
  let changed = 0;
  const updates = rows.map((r) => {
    const s = flakyStats(r.recent, now, policy);
    if (s.status !== r.status) changed++;
    const { status, sampleSize, failures, failureRate, wilsonLow, wilsonHigh, lastFlipAt } = s;
    return {
      id: r.id,
      orgId: r.orgId,
      status,
      sampleSize,
      failures,
      failureRate,
      wilsonLow,
      wilsonHigh,
      lastFlipAt,
      statsAt: now,
    };
  });
  // Tests of many organisations: each row carries its org id for the tenant filter.
  const statements = jsonUpdates(db, ciTests, STATS_KEYS, "per-row", updates);
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { counts: { tests: rows.length, statusChanged: changed } };
}
