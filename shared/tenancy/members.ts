import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../audit/repository.ts";
import type { MemberRoleResult, RoleChange } from "../contract/tenancy.ts";
import type { Db } from "../db/client.ts";
import { memberships } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import type { Actor } from "./actor.ts";
import { forgetKeysOfUser, type KeyCache, revokeKeysOfUser } from "./api-key-cache.ts";
import { requireMember } from "./repository.ts";
import { checkActsOnPeer, checkRoleAssignment, guardOwnerRules, keepingAnOwner } from "./role-assignment.ts";

export { pageMembers as listMembers } from "./repository.ts";

export async function changeMemberRole(
  db: Db,
  keys: KeyCache,
  orgId: string,
  actor: Actor,
  userId: string,
  { role, customRoleId }: RoleChange,
): Promise<MemberRoleResult> {
  const member = await requireMember(db, orgId, userId);
  await checkActsOnPeer(db, orgId, actor, member);
  await checkRoleAssignment(db, orgId, actor, role, customRoleId);
  await guardOwnerRules(db, orgId, actor, member, { kind: "role", role });
  await keepingAnOwner(() =>
    auditedBatch(
      db,
      orgId,
      actor.audit,
      {
        action: "member.role.change",
        targetType: "user",
        targetId: userId,
        changes: { from: member.role, to: role, customRoleId: customRoleId ?? null },
      },
      () => [
        db
          .update(memberships)
          .set({ role, customRoleId: role === "custom" ? customRoleId : null })
          .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))),
      ],
    ),
  );
  // The user's keys are bounded by the user's permissions (shared/tenancy/api-key-cache.ts).
  await forgetKeysOfUser(db, keys, orgId, userId);
  return {
    userId,
    role,
    customRoleId: role === "custom" ? (customRoleId ?? null) : null,
    joinedAt: member.createdAt,
  };
}

/**
 * Removes a member; a member removing themselves is leaving, which needs no permission. The member's
 * API keys are revoked in the same batch: a key never outlives its creator's membership.
 */
export async function removeMember(db: Db, keys: KeyCache, orgId: string, actor: Actor, userId: string) {
  const self = actor.id === userId;
  if (!self && !actor.permissions.has("members:manage"))
    throw new ApiError("forbidden", "Missing permission: members:manage");
  const member = await requireMember(db, orgId, userId);
  await checkActsOnPeer(db, orgId, actor, member);
  await guardOwnerRules(db, orgId, actor, member, { kind: "remove", self });
  await keepingAnOwner(() =>
    auditedBatch(
      db,
      orgId,
      actor.audit,
      {
        action: self ? "member.leave" : "member.remove",
        targetType: "user",
        targetId: userId,
        changes: { role: member.role },
      },
      () => [
        db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))),
        ...revokeKeysOfUser(db, orgId, userId),
      ],
    ),
  );
  await forgetKeysOfUser(db, keys, orgId, userId);
}
