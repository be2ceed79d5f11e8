import { eq } from "drizzle-orm";
import { type AuditContext, auditedBatch, auditedInsert, auditedUpdate } from "../audit/repository.ts";
import type { Page } from "../contract/common.ts";
import type { CreatedInvite, Invite, InviteAccepted, MemberRole, NewInvite } from "../contract/tenancy.ts";
import { sha256Hex } from "../crypto/hash.ts";
import { randomBase62 } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { pageInOrg, requireInOrg } from "../db/org-scoped.ts";
import { invites, memberships, organizations } from "../db/schema/tenancy.ts";
import { ApiError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { mapPage, type PageQuery } from "../pagination.ts";
import type { Actor } from "./actor.ts";
import { forgetKeysOfUser, type KeyCache } from "./api-key-cache.ts";
import { findUser } from "./memberships.ts";
import type { Permission } from "./permissions.ts";
import { findInviteByTokenHash, findMember, type MembershipRow } from "./repository.ts";
import {
  checkRoleAssignment,
  guardOwnerRules,
  keepingAnOwner,
  permissionsOfRole,
} from "./role-assignment.ts";

type InviteRow = typeof invites.$inferSelect;

function toInvite(row: InviteRow, now = Date.now()): Invite {
  const status = row.acceptedAt
    ? "accepted"
    : row.revokedAt
      ? "revoked"
      : row.expiresAt <= now
        ? "expired"
        : "pending";
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    customRoleId: row.customRoleId,
    status,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

export async function listInvites(db: Db, orgId: string, page: PageQuery): Promise<Page<Invite>> {
  return mapPage(await pageInOrg(db, invites, orgId, page), (r) => toInvite(r));
}

/** Only the token's hash is stored; the token itself is in the answer once. */
export async function createInvite(
  db: Db,
  orgId: string,
  actor: Actor,
  input: NewInvite,
): Promise<CreatedInvite> {
  await checkRoleAssignment(db, orgId, actor, input.role, input.customRoleId);
  const token = `inv_${randomBase62(40)}`;
  const now = Date.now();
  const row: InviteRow = {
    id: newId("inv", now),
    orgId,
    email: input.email,
    role: input.role,
    customRoleId: input.customRoleId ?? null,
    tokenHash: await sha256Hex(token),
    createdBy: actor.id,
    expiresAt: now + input.expiresInHours * 3_600_000,
    acceptedAt: null,
    acceptedBy: null,
    revokedAt: null,
    createdAt: now,
  };
  await auditedInsert(db, orgId, actor.audit, invites, row, {
    action: "invite.create",
    targetType: "invite",
    changes: { email: row.email, role: row.role },
  });
  return { invite: toInvite(row, now), token };
}

export async function revokeInvite(db: Db, orgId: string, actor: Actor, inviteId: string) {
  const invite = await requireInOrg(db, invites, orgId, inviteId, "Invite");
  if (invite.acceptedAt) throw new ApiError("conflict", "The invite was already accepted");
  await auditedUpdate(
    db,
    orgId,
    actor.audit,
    invites,
    inviteId,
    { revokedAt: Date.now() },
    { action: "invite.revoke", targetType: "invite", changes: { email: invite.email } },
  );
}

/**
 * The signed-in user joins the invite's organisation with its role. The invite must be addressed to
 * the user's email (else it reads as unknown) and still pending (else 410). Accepting never
 * downgrades: an existing member keeps their role unless the invite's role is a strict upgrade, so
 * an invite cannot be used to demote anyone (the sole owner least of all).
 */
export async function acceptInvite(
  db: Db,
  keys: KeyCache,
  userId: string,
  ctx: AuditContext,
  token: string,
): Promise<InviteAccepted> {
  const invite = await findInviteByTokenHash(db, await sha256Hex(token));
  const user = await findUser(db, userId);
  if (!invite || !user || invite.email !== user.email) throw notFound("Invite");
  const status = toInvite(invite).status;
  if (status !== "pending") throw new ApiError("gone", `The invite is ${status}`);
  // A deleted organisation (restorable or not) takes no new members (docs/data-lifecycle.md).
  const org = await db
    .select({ deletedAt: organizations.deletedAt })
    .from(organizations)
    .where(eq(organizations.id, invite.orgId))
    .limit(1);
  if (org[0]?.deletedAt !== null) throw new ApiError("gone", "The organisation was deleted");
  const existing = await findMember(db, invite.orgId, user.id);
  const offered = await permissionsOfRole(db, invite.orgId, invite.role, invite.customRoleId).catch(
    () => new Set<Permission>(),
  );
  const upgrade = !existing || (await isUpgrade(db, existing, invite.role, offered));
  if (existing)
    await guardOwnerRules(db, invite.orgId, null, existing, {
      kind: "accept",
      role: upgrade ? invite.role : existing.role,
    });
  const role = upgrade ? invite.role : existing!.role;
  const customRoleId = upgrade ? invite.customRoleId : existing!.customRoleId;
  const now = Date.now();
  await keepingAnOwner(() =>
    auditedBatch(
      db,
      invite.orgId,
      { ...ctx, actor: { type: "user", id: user.id } },
      {
        action: "invite.accept",
        targetType: "invite",
        targetId: invite.id,
        changes: { email: user.email, role: invite.role, kept: upgrade ? null : existing!.role },
      },
      () => [
        db.update(invites).set({ acceptedAt: now, acceptedBy: user.id }).where(eq(invites.id, invite.id)),
        db
          .insert(memberships)
          .values({ orgId: invite.orgId, userId: user.id, role, customRoleId, createdAt: now })
          .onConflictDoUpdate({
            target: [memberships.orgId, memberships.userId],
            set: { role, customRoleId },
          }),
      ],
    ),
  );
  if (existing && upgrade) await forgetKeysOfUser(db, keys, invite.orgId, user.id);
  return { orgId: invite.orgId, role };
}

/** `owner` outranks every role; otherwise an upgrade confers strictly more permissions. */
async function isUpgrade(db: Db, existing: MembershipRow, role: MemberRole, offered: Set<Permission>) {
  if (existing.role === "owner") return false;
  if (role === "owner") return true;
  const held = await permissionsOfRole(db, existing.orgId, existing.role, existing.customRoleId).catch(
    () => new Set<Permission>(),
  );
  return offered.size > held.size && [...held].every((p) => offered.has(p));
}
