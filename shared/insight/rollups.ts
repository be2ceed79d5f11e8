import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { insightRollupState } from "../db/schema/insight.ts";
import type { JobOutcome } from "../jobs/job-runs.ts";
import { publishGeneration } from "./cache.ts";
import { dirtyCiOrgs, recomputeCi } from "./rollup-ci.ts";
import { type DirtyOrg, dirtyDoraOrgs, recomputeDora, type Statement } from "./rollup-dora.ts";

/**
 * One incremental rollup pass (the insight-rollups cron job, docs/insight.md): for every organisation
 * with records received after its watermarks, recompute the hours those records touch, move the
 * watermarks and bump the generation in one D1 batch, then publish the generation to KV so cached
 * reports of the previous one are no longer read.
 */

/**
 * Records received in the last minute are rolled up again on the next pass: a record written by
 * another isolate with a slightly older clock cannot slip under the watermark. Recomputing is
 * idempotent, so the overlap only costs time.
 */
const OVERLAP_MS = 60_000;
/** Organisations per pass (bounded work per tick; the rest wait for the next one). */
const ORGS_PER_PASS = 50;

export async function rollUpInsight(db: Db, kv: KVNamespace, now: number): Promise<JobOutcome> {
  const [dora, ci] = await Promise.all([dirtyDoraOrgs(db, ORGS_PER_PASS), dirtyCiOrgs(db, ORGS_PER_PASS)]);
  const byOrg = new Map<string, { dora?: DirtyOrg; ci?: DirtyOrg }>();
  for (const d of dora) byOrg.set(d.orgId, { dora: d });
  for (const c of ci) byOrg.set(c.orgId, { ...byOrg.get(c.orgId), ci: c });
  const counts = { orgs: 0, doraRows: 0, ciRanges: 0 };
  for (const [orgId, dirty] of byOrg) {
    const statements: Statement[] = [];
    if (dirty.dora) {
      const { statements: s, rows } = await recomputeDora(db, orgId, dirty.dora, now);
      statements.push(...s);
      counts.doraRows += rows;
    }
    if (dirty.ci) {
      statements.push(...recomputeCi(db, orgId, dirty.ci));
      counts.ciRanges++;
    }
    const mark = (d: DirtyOrg | undefined) => (d ? Math.min(d.seen, now - OVERLAP_MS) : null);
    statements.push(advance(db, orgId, mark(dirty.dora), mark(dirty.ci), now));
    await db.batch(statements as [Statement, ...Statement[]]);
    const [state] = await db
      .select({ generation: insightRollupState.generation })
      .from(insightRollupState)
      .where(eq(insightRollupState.orgId, orgId));
    await publishGeneration(kv, orgId, state?.generation ?? 0);
    counts.orgs++;
  }
  return { status: counts.orgs ? "succeeded" : "skipped", counts };
}

/** Moves a watermark only when its side was rolled up (null keeps it), and bumps the generation. */
function advance(db: Db, orgId: string, dora: number | null, ci: number | null, now: number): Statement {
  const s = insightRollupState;
  return db
    .insert(s)
    .values({ orgId, doraWatermark: dora ?? -1, ciWatermark: ci ?? -1, generation: 1, rolledUpAt: now })
    .onConflictDoUpdate({
      target: s.orgId,
      set: {
        doraWatermark: sql`COALESCE(${dora}, ${s.doraWatermark})`,
        ciWatermark: sql`COALESCE(${ci}, ${s.ciWatermark})`,
        generation: sql`${s.generation} + 1`,
        rolledUpAt: now,
      },
    });
}
