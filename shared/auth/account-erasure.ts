import { and, eq, sql } from "drizzle-orm";
import { erasePersonalStatement } from "../audit/personal.ts";
import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import type { Db } from "../db/client.ts";
import {
  mfaRecoveryCodes,
  mfaTotp,
  passwordResets,
  signIns,
  signupRequests,
  ssoIdentities,
} from "../db/schema/auth.ts";
import { invites, memberships, users } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import { forgetKeysOfUser, type KeyCache, revokeKeysOfUser } from "../tenancy/api-key-cache.ts";
import { ownedOrganizations } from "../tenancy/org-lifecycle.ts";
import { hardDeleteOrganization } from "../tenancy/org-purge.ts";
import { keepingAnOwner } from "../tenancy/role-assignment.ts";
import type { UserRow } from "./accounts.ts";
import { endAllSignInsStatement } from "./sign-ins.ts";

export type ErasureDeps = { db: Db; keys: KeyCache; artifacts: R2Bucket };

/** What an erased account's row keeps: its id (audit rows name it), nothing that identifies a person. */
export const erasedEmail = (userId: string) => `erased+${userId}@users.invalid`;

/** Organisations (live or deleted) in which the user is the only owner. */
export function soleOwnedOrganizations(db: Db, userId: string) {
  return ownedOrganizations(
    db,
    userId,
    sql`NOT EXISTS (SELECT 1 FROM memberships o WHERE o.org_id = ${memberships.orgId} AND o.role = 'owner' AND o.user_id <> ${userId})`,
  );
}

/**
 * GDPR erasure of an account (docs/data-lifecycle.md, "Delete a user account"). Refused (409, naming
 * them) while the user is the last owner of a live organisation; a deleted organisation they alone own
 * is erased now instead of in 30 days. In each organisation the membership goes with the user's API
 * keys and an audited `user.erase`; then sign-ins, second factor, reset links, SSO links, pending
 * sign-ups and invites to the address go, the audit log's personal values of the user are erased
 * (its rows keep the user id and `pii_…` references as pseudonyms), and the account row keeps only
 * its id.
 */
export async function eraseAccount(deps: ErasureDeps, user: UserRow, ctx: AuditContext): Promise<void> {
  const { db } = deps;
  const sole = await soleOwnedOrganizations(db, user.id);
  const live = sole.filter((o) => o.deletedAt === null);
  if (live.length > 0)
    throw new ApiError(
      "conflict",
      `You are the last owner of ${live.map((o) => `"${o.name}"`).join(", ")}: make someone else an owner or delete it first`,
      { errors: live.map((o) => ({ path: o.orgId, message: `Last owner of "${o.name}"` })) },
    );
  for (const org of sole) await hardDeleteOrganization(deps, org.orgId);
  const rows = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, user.id));
  for (const { orgId } of rows) {
    await keepingAnOwner(() =>
      auditedBatch(db, orgId, ctx, { action: "user.erase", targetType: "user", targetId: user.id }, () => [
        db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, user.id))),
        ...revokeKeysOfUser(db, orgId, user.id),
      ]),
    );
    await forgetKeysOfUser(db, deps.keys, orgId, user.id);
  }
  await db.batch([
    // Ends them first for its side effect: this isolate's memo of live sign-ins forgets them at once.
    endAllSignInsStatement(db, user.id),
    db.delete(signIns).where(eq(signIns.userId, user.id)),
    db.delete(mfaTotp).where(eq(mfaTotp.userId, user.id)),
    db.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id)),
    db.delete(passwordResets).where(eq(passwordResets.userId, user.id)),
    db.delete(ssoIdentities).where(eq(ssoIdentities.userId, user.id)),
    db.delete(signupRequests).where(eq(signupRequests.email, user.email)),
    db.delete(invites).where(eq(invites.email, user.email)),
    erasePersonalStatement(db, user.id, user.email),
    db
      .update(users)
      .set({
        email: erasedEmail(user.id),
        name: "Deleted user",
        passwordHash: "erased",
        isPlatformAdmin: false,
      })
      .where(eq(users.id, user.id)),
  ]);
}
