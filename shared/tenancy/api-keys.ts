import { and, eq } from "drizzle-orm";
import { auditedBatch, auditedInsert, auditedUpdate } from "../audit/repository.ts";
import type { Page } from "../contract/common.ts";
import type { ApiKey, CreatedKey, NewApiKey } from "../contract/tenancy.ts";
import { sha256Hex } from "../crypto/hash.ts";
import { newApiKey } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { pageInOrg, requireInOrg } from "../db/org-scoped.ts";
import { apiKeys } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import { mapPage, type PageQuery } from "../pagination.ts";
import { type Actor, beyondHeld } from "./actor.ts";
import { forgetCachedKeys, type KeyCache } from "./api-key-cache.ts";

type ApiKeyRow = typeof apiKeys.$inferSelect;

function toApiKey(row: ApiKeyRow, now = Date.now()): ApiKey {
  const status = row.revokedAt
    ? "revoked"
    : row.expiresAt !== null && row.expiresAt <= now
      ? "expired"
      : "active";
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions,
    status,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    replacedBy: row.replacedBy,
    createdAt: row.createdAt,
  };
}

/** A new key row; the plaintext is returned to the caller once and never stored. */
async function mintKey(input: {
  orgId: string;
  name: string;
  permissions: string[];
  createdBy: string;
  expiresAt: number | null;
}) {
  const key = newApiKey();
  const now = Date.now();
  const row: ApiKeyRow = {
    id: newId("key", now),
    orgId: input.orgId,
    name: input.name,
    prefix: key.slice(0, 10),
    keyHash: await sha256Hex(key),
    permissions: input.permissions,
    createdBy: input.createdBy,
    expiresAt: input.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
    replacedBy: null,
    createdAt: now,
  };
  return { key, row };
}

/** A key holds what was asked for (by default everything the actor holds), never more than the actor. */
function grantable(actor: Actor, requested: string[] | undefined): string[] {
  if (!requested) return [...actor.permissions];
  const beyond = beyondHeld(actor.permissions, requested);
  if (beyond.length)
    throw new ApiError("forbidden", `A key cannot hold permissions you do not: ${beyond.join(", ")}`);
  return [...new Set(requested)];
}

export async function listApiKeys(db: Db, orgId: string, page: PageQuery): Promise<Page<ApiKey>> {
  return mapPage(await pageInOrg(db, apiKeys, orgId, page), (r) => toApiKey(r));
}

export async function createApiKey(
  db: Db,
  orgId: string,
  actor: Actor,
  input: NewApiKey,
): Promise<CreatedKey> {
  if (input.expiresAt !== undefined && input.expiresAt <= Date.now()) {
    throw new ApiError("unprocessable", "expiresAt must be in the future");
  }
  const { key, row } = await mintKey({
    orgId,
    name: input.name,
    permissions: grantable(actor, input.permissions),
    // The owning user, also when a key mints a key: the new key is bounded by that user's permissions.
    createdBy: actor.ownerId ?? actor.id,
    expiresAt: input.expiresAt ?? null,
  });
  await auditedInsert(db, orgId, actor.audit, apiKeys, row, {
    action: "api_key.create",
    targetType: "api_key",
    changes: { name: row.name, permissions: row.permissions },
  });
  return { apiKey: toApiKey(row), key };
}

/** Revoking is idempotent; the cached lookups are dropped either way, so it takes effect at once. */
export async function revokeApiKey(db: Db, keys: KeyCache, orgId: string, actor: Actor, keyId: string) {
  const key = await requireInOrg(db, apiKeys, orgId, keyId, "API key");
  if (!key.revokedAt) {
    await auditedUpdate(
      db,
      orgId,
      actor.audit,
      apiKeys,
      keyId,
      { revokedAt: Date.now() },
      { action: "api_key.revoke", targetType: "api_key", changes: { name: key.name } },
    );
  }
  await forgetCachedKeys(db, keys, orgId, keyId);
}

/**
 * A new key with the old one's name, permissions and expiry; the old key keeps working until the
 * grace period ends (or its own expiry, whichever is sooner).
 */
export async function rotateApiKey(
  db: Db,
  keys: KeyCache,
  orgId: string,
  actor: Actor,
  keyId: string,
  gracePeriodSeconds: number,
): Promise<CreatedKey> {
  const old = await requireInOrg(db, apiKeys, orgId, keyId, "API key");
  if (toApiKey(old).status !== "active") throw new ApiError("conflict", "Only an active key can be rotated");
  const { key, row } = await mintKey({
    orgId,
    name: old.name,
    permissions: grantable(actor, old.permissions),
    createdBy: actor.ownerId ?? actor.id,
    expiresAt: old.expiresAt,
  });
  const graceEnds = Date.now() + gracePeriodSeconds * 1000;
  const oldExpiry = old.expiresAt === null ? graceEnds : Math.min(old.expiresAt, graceEnds);
  await auditedBatch(
    db,
    orgId,
    actor.audit,
    {
      action: "api_key.rotate",
      targetType: "api_key",
      targetId: keyId,
      changes: { newKeyId: row.id, oldExpiresAt: oldExpiry },
    },
    () => [
      db.insert(apiKeys).values(row),
      db
        .update(apiKeys)
        .set({ expiresAt: oldExpiry, replacedBy: row.id })
        .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId))),
    ],
  );
  await forgetCachedKeys(db, keys, orgId, keyId);
  return { apiKey: toApiKey(row), key };
}
