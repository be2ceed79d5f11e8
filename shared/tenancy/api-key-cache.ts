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

const KEY_CACHE_TTL_SECONDS = 60;
const keyCacheName = (keyHash: string) => `apikey:${keyHash}`;

/**
 * A per-isolate memo in front of KV: the hot path then costs no I/O for auth. Entries live 10 s, so a
 * revocation reaches every isolate within 10 s (the isolate that revokes forgets at once), which is
 * well inside KV's own eventual-consistency window.
 */
const MEMO_TTL_MS = 10_000;
const MEMO_MAX = 1000;
const memo = new Map<string, { record: KeyRecord; until: number }>();

function remember(keyHash: string, record: KeyRecord) {
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as string);
  memo.set(keyHash, { record, until: Date.now() + MEMO_TTL_MS });
}

/** Resolves a presented key to its record (KV first, then D1), or null when unknown. */
export async function lookupApiKey(db: Db, cache: KVNamespace, presented: string): Promise<KeyRecord | null> {
  if (!API_KEY_PATTERN.test(presented)) return null;
  const keyHash = await sha256Hex(presented);
  const memoised = memo.get(keyHash);
  if (memoised && memoised.until > Date.now()) return memoised.record;
  const cached = await cache.get<KeyRecord>(keyCacheName(keyHash), "json");
  if (cached) {
    remember(keyHash, cached);
    return cached;
  }
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
  remember(keyHash, record);
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
  for (const r of rows) memo.delete(r.keyHash);
  await Promise.all(rows.map((r) => cache.delete(keyCacheName(r.keyHash))));
}
