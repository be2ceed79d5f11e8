import { and, eq, gt, isNotNull, type SQL } from "drizzle-orm";
import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import type { DeletedOrg } from "../contract/auth.ts";
import type { Db } from "../db/client.ts";
import { memberships, organizations } from "../db/schema/tenancy.ts";
import { notFound } from "../errors.ts";
import { forgetCachedKeys, type KeyCache } from "./api-key-cache.ts";

/** How long a deleted organisation can be restored before the daily cron erases it. */
export const ORG_RESTORE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Soft delete (docs/data-lifecycle.md): from this batch on, members no longer resolve the organisation
 * and its API keys are unknown keys; cached key lookups are dropped here (other isolates forget
 * within their 10 s memo). Nothing is erased yet.
 */
export async function softDeleteOrganization(
  db: Db,
  keys: KeyCache,
  orgId: string,
  ctx: AuditContext,
  now = Date.now(),
): Promise<void> {
  await auditedBatch(
    db,
    orgId,
    ctx,
    {
      action: "org.delete",
      targetType: "organization",
      targetId: orgId,
      changes: { purgeAt: now + ORG_RESTORE_WINDOW_MS },
    },
    () => [
      db.update(organizations).set({ deletedAt: now, updatedAt: now }).where(eq(organizations.id, orgId)),
    ],
  );
  await forgetCachedKeys(db, keys, orgId);
}

/** The organisations `userId` owns (as owner) that also meet `condition`, with their deletion time. */
export function ownedOrganizations(db: Db, userId: string, condition: SQL | undefined) {
  return db
    .select({ orgId: organizations.id, name: organizations.name, deletedAt: organizations.deletedAt })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "owner"), condition));
}

/** Organisations the user owns that were deleted and can still be restored. */
export async function listDeletedOrganizations(
  db: Db,
  userId: string,
  now = Date.now(),
): Promise<DeletedOrg[]> {
  const rows = await ownedOrganizations(
    db,
    userId,
    and(isNotNull(organizations.deletedAt), gt(organizations.deletedAt, now - ORG_RESTORE_WINDOW_MS)),
  );
  return rows.map((r) => ({ ...r, deletedAt: r.deletedAt!, purgeAt: r.deletedAt! + ORG_RESTORE_WINDOW_MS }));
}

/** An owner brings a deleted organisation back within the window; otherwise (or not an owner) 404. */
export async function restoreOrganization(
  db: Db,
  userId: string,
  orgId: string,
  ctx: AuditContext,
  now = Date.now(),
): Promise<void> {
  const restorable = await listDeletedOrganizations(db, userId, now);
  if (!restorable.some((o) => o.orgId === orgId)) throw notFound("Deleted organisation");
  await auditedBatch(
    db,
    orgId,
    ctx,
    { action: "org.restore", targetType: "organization", targetId: orgId },
    () => [
      db.update(organizations).set({ deletedAt: null, updatedAt: now }).where(eq(organizations.id, orgId)),
    ],
  );
}
