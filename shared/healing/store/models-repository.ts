import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { selectColumnsInOrg, selectInOrg } from "../../db/org-scoped.ts";
import { healingModels } from "../../db/schema/healing.ts";
import { DEFAULT_MODEL } from "../default-model.ts";
import type { HealingModel } from "../types.ts";

export type HealingModelRow = typeof healingModels.$inferSelect;

const cacheKey = (orgId: string) => `heal-model:${orgId}`;
const CACHE_TTL_SECONDS = 300;

/**
 * Per-isolate memo in front of KV (10 s), so a burst of heals costs no I/O for the model; the isolate
 * that activates a version forgets at once, others within 10 s.
 */
const MEMO_MS = 10_000;
const memo = new Map<string, { model: HealingModel; until: number }>();

/** The org's active model (memo → KV → D1), or the default model fitted on the benchmark corpus. */
export async function activeModel(db: Db, cache: KVNamespace, orgId: string): Promise<HealingModel> {
  const memoised = memo.get(orgId);
  if (memoised && memoised.until > Date.now()) return memoised.model;
  const model = await loadActiveModel(db, cache, orgId);
  if (memo.size > 1000) memo.clear();
  memo.set(orgId, { model, until: Date.now() + MEMO_MS });
  return model;
}

async function loadActiveModel(db: Db, cache: KVNamespace, orgId: string): Promise<HealingModel> {
  const cached = await cache.get<{ model: HealingModel | null }>(cacheKey(orgId), "json");
  if (cached) return cached.model ?? DEFAULT_MODEL;
  const model = (await activeModelRow(db, orgId))?.model ?? null;
  await cache.put(cacheKey(orgId), JSON.stringify({ model }), { expirationTtl: CACHE_TTL_SECONDS });
  return model ?? DEFAULT_MODEL;
}

export function forgetActiveModel(cache: KVNamespace, orgId: string) {
  memo.delete(orgId);
  return cache.delete(cacheKey(orgId));
}

/** The org's active version, if it has one (else the default model heals). */
export async function activeModelRow(db: Db, orgId: string): Promise<HealingModelRow | null> {
  const rows = await selectInOrg(db, healingModels, orgId, eq(healingModels.status, "active"))
    .orderBy(desc(healingModels.version))
    .limit(1);
  return rows[0] ?? null;
}

/** The org's newest version (whatever its status): the next one is numbered after it. */
export async function newestModel(
  db: Db,
  orgId: string,
): Promise<Pick<HealingModelRow, "version" | "createdAt"> | null> {
  const rows = await selectColumnsInOrg(
    db,
    { version: healingModels.version, createdAt: healingModels.createdAt },
    healingModels,
    orgId,
  )
    .orderBy(desc(healingModels.version))
    .limit(1);
  return rows[0] ?? null;
}

/** Retires whichever version is active, leaving the org on the default model. */
export function retireActiveStatement(db: Db, orgId: string) {
  return db
    .update(healingModels)
    .set({ status: "retired" })
    .where(and(eq(healingModels.orgId, orgId), eq(healingModels.status, "active")));
}

export function activateStatement(db: Db, orgId: string, modelId: string, now: number) {
  return db
    .update(healingModels)
    .set({ status: "active", activatedAt: now })
    .where(and(eq(healingModels.orgId, orgId), eq(healingModels.id, modelId)));
}
