import { and, eq, gte, lt, sql } from "drizzle-orm";
import { batchable } from "../ci/batchable.ts";
import type { Db } from "../db/client.ts";
import { insightCiHourly } from "../db/schema/insight.ts";
import { type DirtyOrg, HOUR_MS, hourOf, type Statement } from "./rollup-dora.ts";

/**
 * CI, heal and finding rollups per project and hour (docs/insight.md), the source of ROI and of the
 * CI trends. Set-based SQL, so a large backlog (a million test results) rolls up inside D1.
 */

const hour = (column: string) => sql.raw(`(${column} / ${HOUR_MS}) * ${HOUR_MS}`);

export async function dirtyCiOrgs(db: Db, limit: number): Promise<DirtyOrg[]> {
  return db.all<DirtyOrg>(sql`
    SELECT r.org_id AS orgId, MIN(r.t) AS min, MAX(r.t) AS max, MAX(r.u) AS seen FROM (
      SELECT org_id, created_at AS t, created_at AS u FROM ci_runs
      UNION ALL SELECT org_id, COALESCE(reviewed_at, updated_at), updated_at FROM healed_locators
      UNION ALL SELECT org_id, created_at, created_at FROM session_findings
    ) r LEFT JOIN insight_rollup_state s ON s.org_id = r.org_id
    WHERE r.u > COALESCE(s.ci_watermark, -1)
    GROUP BY r.org_id ORDER BY r.org_id LIMIT ${limit}`);
}

/** A run whose failures were all quarantined: without quarantine it would have failed and been re-run. */
const failing = (quarantined: 0 | 1) =>
  `EXISTS (SELECT 1 FROM ci_results x WHERE x.org_id = r.org_id AND x.run_id = r.id
     AND x.status = 'failed' AND x.quarantined = ${quarantined})`;

/** Statements replacing the organisation's hourly CI rows for the hours [min, max] touch. */
export function recomputeCi(db: Db, orgId: string, range: { min: number; max: number }): Statement[] {
  const from = hourOf(range.min);
  const to = hourOf(range.max) + HOUR_MS;
  const h = insightCiHourly;
  return [
    db.delete(h).where(and(eq(h.orgId, orgId), gte(h.hour, from), lt(h.hour, to))),
    batchable(
      db,
      sql`
      INSERT INTO insight_ci_hourly (org_id, project_id, hour, runs, runs_failed, run_ms, tests_passed,
        tests_failed, tests_flaky, saved_runs, saved_ms)
      SELECT org_id, project_id, hour, COUNT(*), SUM(status = 'failed'), SUM(duration_ms), SUM(passed),
        SUM(failed), SUM(flaky), SUM(saved), SUM(CASE WHEN saved THEN duration_ms ELSE 0 END)
      FROM (SELECT r.*, ${hour("r.created_at")} AS hour,
              (${sql.raw(failing(1))} AND NOT ${sql.raw(failing(0))}) AS saved
            FROM ci_runs r WHERE r.org_id = ${orgId} AND r.created_at >= ${from} AND r.created_at < ${to})
      GROUP BY project_id, hour`,
    ),
    batchable(
      db,
      sql`
      INSERT INTO insight_ci_hourly (org_id, project_id, hour, heals_accepted)
      SELECT org_id, project_id, ${hour("COALESCE(reviewed_at, updated_at)")} AS hour, COUNT(*)
      FROM healed_locators
      WHERE org_id = ${orgId} AND status = 'accepted'
        AND COALESCE(reviewed_at, updated_at) >= ${from} AND COALESCE(reviewed_at, updated_at) < ${to}
      GROUP BY project_id, hour
      ON CONFLICT (org_id, project_id, hour) DO UPDATE SET heals_accepted = excluded.heals_accepted`,
    ),
    batchable(
      db,
      sql`
      INSERT INTO insight_ci_hourly (org_id, project_id, hour, findings)
      SELECT org_id, project_id, hour, json_group_object(severity, n) FROM (
        SELECT f.org_id, s.project_id, ${hour("f.created_at")} AS hour, f.severity, COUNT(*) AS n
        FROM session_findings f JOIN sessions s ON s.org_id = f.org_id AND s.id = f.session_id
        WHERE f.org_id = ${orgId} AND f.created_at >= ${from} AND f.created_at < ${to}
        GROUP BY s.project_id, hour, f.severity)
      WHERE true GROUP BY project_id, hour
      ON CONFLICT (org_id, project_id, hour) DO UPDATE SET findings = excluded.findings`,
    ),
  ];
}

export type CiTotals = {
  runs: number;
  runsFailed: number;
  runMs: number;
  testsPassed: number;
  testsFailed: number;
  testsFlaky: number;
  savedRuns: number;
  savedMs: number;
  healsAccepted: number;
  findings: Record<string, number>;
};

/** A project's CI rows over an hour-aligned window: totals and the rows themselves (trends). */
export async function ciFromRollups(
  db: Db,
  orgId: string,
  projectId: string,
  w: { from: number; to: number },
) {
  const h = insightCiHourly;
  const rows = await db
    .select()
    .from(h)
    .where(and(eq(h.orgId, orgId), eq(h.projectId, projectId), gte(h.hour, w.from), lt(h.hour, w.to)))
    .orderBy(h.hour);
  const totals: CiTotals = {
    runs: 0,
    runsFailed: 0,
    runMs: 0,
    testsPassed: 0,
    testsFailed: 0,
    testsFlaky: 0,
    savedRuns: 0,
    savedMs: 0,
    healsAccepted: 0,
    findings: {},
  };
  for (const r of rows) {
    for (const k of Object.keys(totals) as (keyof CiTotals)[]) {
      if (k !== "findings") totals[k] += r[k];
    }
    for (const [severity, n] of Object.entries(r.findings)) {
      totals.findings[severity] = (totals.findings[severity] ?? 0) + n;
    }
  }
  return { totals, rows };
}
