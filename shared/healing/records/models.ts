import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { healingModels } from "../../db/schema/healing.ts";
import { DEFAULT_MODEL } from "../default-model.ts";
import type { HealingModel } from "../types.ts";

const cacheKey = (orgId: string) => `heal-model:${orgId}`;
const CACHE_TTL_SECONDS = 300;

/** The org's active model (KV-cached), or the default model fitted on the benchmark corpus. */
export async function activeModel(db: Db, cache: KVNamespace, orgId: string): Promise<HealingModel> {
  const cached = await cache.get<{ model: HealingModel | null }>(cacheKey(orgId), "json");
  if (cached) return cached.model ?? DEFAULT_MODEL;
  const rows = await db
    .select({ model: healingModels.model })
    .from(healingModels)
    .where(and(eq(healingModels.orgId, orgId), eq(healingModels.status, "active")))
    .orderBy(desc(healingModels.version))
    .limit(1);
  const model = rows[0]?.model ?? null;
  await cache.put(cacheKey(orgId), JSON.stringify({ model }), { expirationTtl: CACHE_TTL_SECONDS });
  return model ?? DEFAULT_MODEL;
}

export function forgetActiveModel(cache: KVNamespace, orgId: string) {
  return cache.delete(cacheKey(orgId));
}
