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

/** A lookup as cached: the record, and the org's auth epoch known before it was read from D1. */
type CachedKey = { record: KeyRecord; epoch: number };

/** Where key lookups are cached, and how to start a new auth epoch for an org (its RateLimiter object). */
export type KeyCache = { kv: KVNamespace; bumpEpoch(orgId: string): Promise<number> };

const KEY_CACHE_TTL_SECONDS = 60;
const keyCacheName = (keyHash: string) => `apikey:v3:${keyHash}`;
/** Keys minted by keys before owners were recorded: follow `createdBy` this many hops at most. */
const MAX_CHAIN = 8;

/**
 * A per-isolate memo in front of KV: the hot path then costs no I/O for auth (docs/architecture.md,
 * "Caches on the request path"). An entry is trusted while it is younger than MEMO_TTL_MS and not
 * older than the org's auth epoch this isolate knows of. Every change to a key's validity or reach
 * bumps the epoch in the org's RateLimiter object, whose every answer carries it: the rate limiter
 * then drops the org's entries here and has the request authenticated again from D1.
 */
export const MEMO_TTL_MS = 10_000;
const MEMO_MAX = 1000;
const memo = new Map<string, CachedKey & { until: number }>();
/** The newest auth epoch seen per org, and when (a counter of advances in this isolate). */
const epochs = new Map<string, { epoch: number; seq: number }>();
let advances = 0;

function remember(keyHash: string, cached: CachedKey) {
  memo.delete(keyHash);
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as string);
  memo.set(keyHash, { ...cached, until: Date.now() + MEMO_TTL_MS });
}

/** The newest auth epoch this isolate has seen for `orgId` (0 before any). */
export function knownAuthEpoch(orgId: string): number {
  return epochs.get(orgId)?.epoch ?? 0;
}

/**
 * Records an org's auth epoch from a RateLimiter answer. A newer one drops the org's memo entries;
 * returns true when it was newer.
 */
export function noteAuthEpoch(orgId: string, epoch: number): boolean {
  if (epoch <= knownAuthEpoch(orgId)) return false;
  if (epochs.size >= 10 * MEMO_MAX) epochs.clear(); // forgetting is safe: KV and memo entries carry theirs
  epochs.set(orgId, { epoch, seq: ++advances });
  for (const [keyHash, entry] of memo) if (entry.record.orgId === orgId) memo.delete(keyHash);
  return true;
}

/**
 * The SHA-256 of keys presented lately in this isolate (bounded like the memo): on the hot path the
 * digest was the largest cost of a memo hit. It only names the cache entry; the entry still decides.
 */
const hashes = new Map<string, string>();

async function keyHashOf(presented: string): Promise<string> {
  const known = hashes.get(presented);
  if (known !== undefined) return known;
  const keyHash = await sha256Hex(presented);
  if (hashes.size >= MEMO_MAX) hashes.delete(hashes.keys().next().value as string);
  hashes.set(presented, keyHash);
  return keyHash;
}

/** A presented key's record and the auth epoch it was read at. */
export type KeyLookup = CachedKey;

/**
 * Resolves a presented key to its record (memo, then KV, then D1), or null when unknown. Cached
 * lookups older than the org's known auth epoch are skipped, so after a bump this reads D1.
 */
export async function lookupApiKey(db: Db, kv: KVNamespace, presented: string): Promise<KeyLookup | null> {
  if (!API_KEY_PATTERN.test(presented)) return null;
  const keyHash = await keyHashOf(presented);
  const memoised = memo.get(keyHash);
  if (memoised && memoised.until > Date.now() && memoised.epoch >= knownAuthEpoch(memoised.record.orgId)) {
    return memoised;
  }
  const cached = await kv.get<CachedKey>(keyCacheName(keyHash), "json");
  if (cached && cached.epoch >= knownAuthEpoch(cached.record.orgId)) {
    remember(keyHash, cached);
    return cached;
  }
  const startedAt = advances;
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
  // Labelled with the epoch known before the reads; if it advanced during them, the label is one no
  // epoch passes, so this lookup is used once and never trusted again.
  const seen = epochs.get(row.orgId);
  const epoch = seen && seen.seq > startedAt ? -1 : knownAuthEpoch(row.orgId);
  const lookup: CachedKey = { record, epoch };
  await kv.put(keyCacheName(keyHash), JSON.stringify(lookup), { expirationTtl: KEY_CACHE_TTL_SECONDS });
  remember(keyHash, lookup);
  return lookup;
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

/**
 * Starts a new auth epoch for the org (every isolate stops trusting its cached lookups on its next
 * answer from the org's RateLimiter object) and forgets the org's memo entries here at once. Called
 * last, so that if the object is down (503) the KV entries are already gone.
 */
async function newEpoch(keys: KeyCache, orgId: string) {
  noteAuthEpoch(orgId, await keys.bumpEpoch(orgId));
}

/** Drops the cached lookups of every key acting for `userId`: their permissions follow the user's. */
export async function forgetKeysOfUser(db: Db, keys: KeyCache, orgId: string, userId: string) {
  const ids = await keyIdsOfUser(db, orgId, userId);
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ keyHash: apiKeys.keyHash })
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, orgId), inArray(apiKeys.id, ids.slice(i, i + 90))));
    for (const r of rows) memo.delete(r.keyHash);
    await Promise.all(rows.map((r) => keys.kv.delete(keyCacheName(r.keyHash))));
  }
  await newEpoch(keys, orgId);
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

/** Drops cached lookups for these keys (revoke, rotate, plan change) so the change applies at once. */
export async function forgetCachedKeys(db: Db, keys: KeyCache, orgId: string, keyId?: string) {
  const rows = await db
    .select({ keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .where(keyId ? and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId)) : eq(apiKeys.orgId, orgId));
  for (const r of rows) memo.delete(r.keyHash);
  await Promise.all(rows.map((r) => keys.kv.delete(keyCacheName(r.keyHash))));
  await newEpoch(keys, orgId);
}
