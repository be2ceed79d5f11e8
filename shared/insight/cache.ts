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

/**
 * Isolate memos in front of KV, so a repeated read costs no round trip. A report under a generation
 * never changes, so its memo is always right; the generation itself is remembered for GENERATION_MEMO_MS,
 * which adds at most that much to a report's staleness (next to KV's own propagation).
 */
const GENERATION_MEMO_MS = 5_000;
const REPORT_MEMO_MAX = 256;
const generations = new Map<string, { generation: number; until: number }>();
const reports = new Map<string, unknown>();

function rememberGeneration(orgId: string, generation: number) {
  if (generations.size >= 10_000) generations.clear(); // bounded memory in a long-lived isolate
  generations.set(orgId, { generation, until: Date.now() + GENERATION_MEMO_MS });
}

function rememberReport(key: string, value: unknown) {
  if (reports.size >= REPORT_MEMO_MAX) reports.delete(reports.keys().next().value as string);
  reports.set(key, value);
}

export async function publishGeneration(kv: KVNamespace, orgId: string, generation: number) {
  rememberGeneration(orgId, generation);
  await kv.put(generationKey(orgId), String(generation), { expirationTtl: GENERATION_TTL_S });
}

async function generationOf(kv: KVNamespace, db: Db, orgId: string): Promise<number> {
  const memo = generations.get(orgId);
  if (memo && memo.until > Date.now()) return memo.generation;
  const cached = await kv.get(generationKey(orgId));
  if (cached !== null) {
    rememberGeneration(orgId, Number(cached));
    return Number(cached);
  }
  const [row] = await db
    .select({ generation: insightRollupState.generation })
    .from(insightRollupState)
    .where(eq(insightRollupState.orgId, orgId));
  const generation = row?.generation ?? 0;
  await publishGeneration(kv, orgId, generation);
  return generation;
}

/**
 * The cached value for `key` at the organisation's current generation, computed on a miss. The value
 * may be shared with other requests of this isolate: callers must not mutate it.
 */
export async function cachedInsight<T>(
  kv: KVNamespace,
  db: Db,
  orgId: string,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const generation = await generationOf(kv, db, orgId);
  const full = `insight:${orgId}:${generation}:${key}`;
  const memo = reports.get(full);
  if (memo !== undefined) return memo as T;
  const hit = await kv.get<T>(full, "json");
  if (hit !== null) {
    rememberReport(full, hit);
    return hit;
  }
  const value = await compute();
  await kv.put(full, JSON.stringify(value), { expirationTtl: REPORT_TTL_S });
  rememberReport(full, value);
  return value;
}
