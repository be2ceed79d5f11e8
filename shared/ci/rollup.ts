import { and, asc, lt, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { JobOutcome } from "../jobs/job-runs.ts";
import type { Db } from "../db/client.ts";
import { ciTests } from "../db/schema/ci.ts";
import { DEFAULT_FLAKY_POLICY, type FlakyPolicy, flakyStats } from "./flaky.ts";
import { batchable } from "./batchable.ts";
import { chunkRows } from "./json-rows.ts";

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
    return [
      r.id,
      r.orgId,
      s.status,
      s.sampleSize,
      s.failures,
      s.failureRate,
      s.wilsonLow,
      s.wilsonHigh,
      s.lastFlipAt,
    ];
  });
  // `+org_id`: keep the org filter but let SQLite drive the join from json_each by primary key.
  const at = (i: number) => sql.raw(`json_extract(j.value, '$[${i}]')`);
  const statements = chunkRows(updates).map((chunk) =>
    batchable(
      db,
      sql`UPDATE ci_tests SET status = ${at(2)}, sample_size = ${at(3)}, failures = ${at(4)},
      failure_rate = ${at(5)}, wilson_low = ${at(6)}, wilson_high = ${at(7)}, last_flip_at = ${at(8)}, stats_at = ${now}
      FROM json_each(${chunk}) AS j WHERE ci_tests.id = ${at(0)} AND +ci_tests.org_id = ${at(1)}`,
    ),
  );
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { counts: { tests: rows.length, statusChanged: changed } };
}
