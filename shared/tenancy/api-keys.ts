import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { apiKeys, organizations } from "../db/schema/tenancy.ts";
import { sha256Hex } from "../crypto/hash.ts";
import { API_KEY_PATTERN } from "../crypto/tokens.ts";
import type { Plan } from "./plans.ts";
import { type Permission, isPermission } from "./permissions.ts";

/** What authentication needs to know about a key; cached in KV keyed by the key's hash. */
export type KeyRecord = {
  id: string;
  orgId: string;
  plan: Plan;
  permissions: Permission[];
  expiresAt: number | null;
  revokedAt: number | null;
};

export const KEY_CACHE_TTL_SECONDS = 60;
export const keyCacheName = (keyHash: string) => `apikey:${keyHash}`;

/** Resolves a presented key to its record (KV first, then D1), or null when unknown. */
export async function lookupApiKey(db: Db, cache: KVNamespace, presented: string): Promise<KeyRecord | null> {
  if (!API_KEY_PATTERN.test(presented)) return null;
  const keyHash = await sha256Hex(presented);
  const cached = await cache.get<KeyRecord>(keyCacheName(keyHash), "json");
  if (cached) return cached;
  const rows = await db
    .select({
      id: apiKeys.id,
      orgId: apiKeys.orgId,
      plan: organizations.plan,
      permissions: apiKeys.permissions,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const record: KeyRecord = { ...row, permissions: row.permissions.filter(isPermission) };
  await cache.put(keyCacheName(keyHash), JSON.stringify(record), { expirationTtl: KEY_CACHE_TTL_SECONDS });
  return record;
}

export function keyIsUsable(record: KeyRecord, now = Date.now()): boolean {
  return record.revokedAt === null && (record.expiresAt === null || record.expiresAt > now);
}

/** Drops cached lookups for these keys (revoke, rotate, plan change) so the change applies at once here. */
export async function forgetCachedKeys(db: Db, cache: KVNamespace, orgId: string, keyId?: string) {
  const rows = await db
    .select({ keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .where(keyId ? and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId)) : eq(apiKeys.orgId, orgId));
  await Promise.all(rows.map((r) => cache.delete(keyCacheName(r.keyHash))));
}
