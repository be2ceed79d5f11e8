import { and, eq, inArray, isNull } from "drizzle-orm";
import { sha256Hex } from "../crypto/hash.ts";
import { API_KEY_PATTERN } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { apiKeys, organizations } from "../db/schema/tenancy.ts";
import { resolveMembership } from "./memberships.ts";
import { isPermission, type Permission } from "./permissions.ts";
import type { Plan } from "./plans.ts";

/**
 * What authentication needs to know about a key; cached in KV keyed by the key's hash. `permissions`
 * are the effective ones: the key's scopes ∩ what its owner (the user who created it, or who created
 * the key that created it) holds in the org now. A key whose owner left the org has `ownerId` null and
 * is not usable. Membership changes drop the owner's cached keys (`forgetKeysOfUser`).
 */
export type KeyRecord = {
  id: string;
  orgId: string;
  plan: Plan;
  ownerId: string | null;
  permissions: Permission[];
  expiresAt: number | null;
  revokedAt: number | null;
};

const KEY_CACHE_TTL_SECONDS = 60;
const keyCacheName = (keyHash: string) => `apikey:v2:${keyHash}`;
/** Keys minted by keys before owners were recorded: follow `createdBy` this many hops at most. */
const MAX_CHAIN = 8;

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
      createdBy: apiKeys.createdBy,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
    // A deleted organisation's keys are unknown keys (docs/data-lifecycle.md).
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(organizations.deletedAt)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const { createdBy, ...rest } = row;
  const ownerId = await ownerOf(db, row.orgId, createdBy);
  const held = ownerId ? (await resolveMembership(db, ownerId, row.orgId))?.permissions : undefined;
  const record: KeyRecord = {
    ...rest,
    ownerId: held ? ownerId : null,
    permissions: held ? row.permissions.filter(isPermission).filter((p) => held.has(p)) : [],
  };
  await cache.put(keyCacheName(keyHash), JSON.stringify(record), { expirationTtl: KEY_CACHE_TTL_SECONDS });
  remember(keyHash, record);
  return record;
}

export function keyIsUsable(record: KeyRecord, now = Date.now()): boolean {
  return (
    record.ownerId !== null &&
    record.revokedAt === null &&
    (record.expiresAt === null || record.expiresAt > now)
  );
}

/** The user a key acts for: its creator, or its creator key's owner. */
export async function ownerOf(db: Db, orgId: string, createdBy: string): Promise<string | null> {
  let id = createdBy;
  for (let hop = 0; hop < MAX_CHAIN && id.startsWith("key_"); hop++) {
    const rows = await db
      .select({ createdBy: apiKeys.createdBy })
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id)))
      .limit(1);
    if (!rows[0]) return null;
    id = rows[0].createdBy;
  }
  return id.startsWith("usr_") ? id : null;
}

/** Ids of the keys acting for `userId` in `orgId`: created by the user, or by one of those keys. */
export async function keyIdsOfUser(db: Db, orgId: string, userId: string): Promise<string[]> {
  const found = new Set<string>();
  let creators = [userId];
  for (let hop = 0; hop < MAX_CHAIN && creators.length > 0; hop++) {
    const rows = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, orgId), inArray(apiKeys.createdBy, creators.slice(0, 90))));
    creators = rows.map((r) => r.id).filter((id) => !found.has(id));
    for (const id of creators) found.add(id);
  }
  return [...found];
}

/** Drops the cached lookups of every key acting for `userId`: their permissions follow the user's. */
export async function forgetKeysOfUser(db: Db, cache: KVNamespace, orgId: string, userId: string) {
  const ids = await keyIdsOfUser(db, orgId, userId);
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ keyHash: apiKeys.keyHash })
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, orgId), inArray(apiKeys.id, ids.slice(i, i + 90))));
    for (const r of rows) memo.delete(r.keyHash);
    await Promise.all(rows.map((r) => cache.delete(keyCacheName(r.keyHash))));
  }
}

/** The batch statement revoking the keys `userId` created in `orgId` (on removal or leaving). */
export function revokeKeysOfUser(db: Db, orgId: string, userId: string) {
  return [
    db
      .update(apiKeys)
      .set({ revokedAt: Date.now() })
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt))),
  ];
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
