import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client.ts";
import { selectInOrg } from "../db/org-scoped.ts";
import { insightDoraHourly } from "../db/schema/insight.ts";
import { projects } from "../db/schema/tenancy.ts";
import { type DoraSamples, doraFromSamples, doraSamples, type Sample } from "./dora.ts";
import { loadDoraInput } from "./dora-repository.ts";

/**
 * DORA rollups (docs/insight.md): the facts behind the four keys per scope (an organisation, `*`, or
 * one of its projects) and hour, recomputed by the insight-rollups cron job for the hours new records
 * can change; the endpoints read these rows, never the records.
 */

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How far a record reaches: a deployment's failure depends on the next deployment and on incidents. */
const REACH_MS = 7 * DAY_MS;
/** Rollups never look further back than the longest window an endpoint serves (plus margin). */
const HISTORY_MS = 400 * DAY_MS;
export const ORG_SCOPE = "*";

export type Statement = BatchItem<"sqlite">;
export const hourOf = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;

/** Organisations whose records changed after `watermark`, with the event times those records carry. */
export type DirtyOrg = { orgId: string; min: number; max: number; seen: number };

export async function dirtyDoraOrgs(db: Db, limit: number): Promise<DirtyOrg[]> {
  return db.all<DirtyOrg>(sql`
    SELECT r.org_id AS orgId, MIN(r.t) AS min, MAX(r.t) AS max, MAX(r.updated_at) AS seen FROM (
      SELECT org_id, source_updated_at AS t, updated_at FROM deployment_records
      UNION ALL SELECT org_id, COALESCE(merged_at, authored_at, source_updated_at), updated_at FROM change_records
      UNION ALL SELECT org_id, opened_at, updated_at FROM incident_records
    ) r LEFT JOIN insight_rollup_state s ON s.org_id = r.org_id
    WHERE r.updated_at > COALESCE(s.dora_watermark, -1)
    GROUP BY r.org_id ORDER BY r.org_id LIMIT ${limit}`);
}

type HourRow = typeof insightDoraHourly.$inferInsert;

/** Buckets samples (already limited to the recomputed range) into one row per hour. */
export function hourlyRows(orgId: string, scope: string, s: DoraSamples): HourRow[] {
  const rows = new Map<number, HourRow>();
  const row = (at: number) => {
    const hour = hourOf(at);
    let r = rows.get(hour);
    if (!r) {
      r = {
        orgId,
        scope,
        hour,
        deploysOk: 0,
        deploysFinished: 0,
        deploysFailed: 0,
        leadHours: [],
        restoreHours: [],
      };
      rows.set(hour, r);
    }
    return r;
  };
  for (const d of s.deployments) row(d.at).deploysOk++;
  for (const f of s.failures) {
    const r = row(f.at);
    r.deploysFinished++;
    r.deploysFailed += f.value;
  }
  for (const l of s.leadTimes) row(l.at).leadHours.push(l.value);
  for (const x of s.restores) row(x.at).restoreHours.push(x.value);
  return [...rows.values()];
}

/** 8 columns per row and at most 100 bound parameters per D1 statement. */
const ROWS_PER_INSERT = 12;

/**
 * The statements that replace an organisation's hourly DORA rows in [from, to) for every scope. The
 * caller runs them in one batch with its watermark update, so a reader never sees half a recompute.
 */
export async function recomputeDora(
  db: Db,
  orgId: string,
  range: { min: number; max: number },
  now: number,
): Promise<{ statements: Statement[]; rows: number }> {
  const from = Math.max(hourOf(range.min) - REACH_MS, hourOf(now - HISTORY_MS));
  const to = Math.max(hourOf(range.max) + REACH_MS + HOUR_MS, from + HOUR_MS);
  const scoped = await db.select({ id: projects.id }).from(projects).where(eq(projects.orgId, orgId));
  const h = insightDoraHourly;
  const statements: Statement[] = [
    db.delete(h).where(and(eq(h.orgId, orgId), gte(h.hour, from), lt(h.hour, to))),
  ];
  let rows = 0;
  for (const scope of [ORG_SCOPE, ...scoped.map((p) => p.id)]) {
    const input = await loadDoraInput(db, orgId, scope === ORG_SCOPE ? null : scope, { from, to });
    const hours = hourlyRows(orgId, scope, doraSamples(input));
    rows += hours.length;
    for (let i = 0; i < hours.length; i += ROWS_PER_INSERT) {
      statements.push(db.insert(h).values(hours.slice(i, i + ROWS_PER_INSERT)));
    }
  }
  return { statements, rows };
}

/** The four keys of a scope over an hour-aligned window, from its hourly rows. */
export async function doraFromRollups(
  db: Db,
  orgId: string,
  projectId: string | null,
  window: { from: number; to: number },
) {
  const h = insightDoraHourly;
  const rows = await selectInOrg(
    db,
    h,
    orgId,
    eq(h.scope, projectId ?? ORG_SCOPE),
    gte(h.hour, window.from),
    lt(h.hour, window.to),
  );
  const samples: DoraSamples = { deployments: [], leadTimes: [], failures: [], restores: [] };
  const repeat = (into: Sample[], at: number, value: number, n: number) => {
    for (let i = 0; i < n; i++) into.push({ at, value });
  };
  for (const r of rows) {
    repeat(samples.deployments, r.hour, 1, r.deploysOk);
    repeat(samples.failures, r.hour, 1, r.deploysFailed);
    repeat(samples.failures, r.hour, 0, r.deploysFinished - r.deploysFailed);
    for (const value of r.leadHours) samples.leadTimes.push({ at: r.hour, value });
    for (const value of r.restoreHours) samples.restores.push({ at: r.hour, value });
  }
  return { ...window, projectId, ...doraFromSamples(window, samples) };
}
