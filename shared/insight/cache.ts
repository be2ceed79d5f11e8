import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { insightRollupState } from "../db/schema/insight.ts";

/**
 * Insight reports served from KV (docs/insight.md). A cached report is keyed by the organisation's
 * rollup generation, which the rollup job bumps and publishes after every pass: a new pass makes new
 * keys, old ones expire, and nothing has to be deleted.
 */

const REPORT_TTL_S = 24 * 3600;
/** Bounded: if a publish is lost, the generation is re-read from D1 within this time. */
const GENERATION_TTL_S = 600;
const generationKey = (orgId: string) => `insight:gen:${orgId}`;

export async function publishGeneration(kv: KVNamespace, orgId: string, generation: number) {
  await kv.put(generationKey(orgId), String(generation), { expirationTtl: GENERATION_TTL_S });
}

async function generationOf(kv: KVNamespace, db: Db, orgId: string): Promise<number> {
  const cached = await kv.get(generationKey(orgId));
  if (cached !== null) return Number(cached);
  const [row] = await db
    .select({ generation: insightRollupState.generation })
    .from(insightRollupState)
    .where(eq(insightRollupState.orgId, orgId));
  const generation = row?.generation ?? 0;
  await publishGeneration(kv, orgId, generation);
  return generation;
}

/** The cached value for `key` at the organisation's current generation, computed on a miss. */
export async function cachedInsight<T>(
  kv: KVNamespace,
  db: Db,
  orgId: string,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const generation = await generationOf(kv, db, orgId);
  const full = `insight:${orgId}:${generation}:${key}`;
  const hit = await kv.get<T>(full, "json");
  if (hit !== null) return hit;
  const value = await compute();
  await kv.put(full, JSON.stringify(value), { expirationTtl: REPORT_TTL_S });
  return value;
}
