import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../audit/repository.ts";
import type { MemberRole, MemberRoleResult, RoleChange } from "../contract/tenancy.ts";
import type { Db } from "../db/client.ts";
import { memberships } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import type { Actor } from "./actor.ts";
import { type MembershipRow, countOwners, requireMember } from "./repository.ts";
import { checkRoleAssignment } from "./role-assignment.ts";

export { pageMembers as listMembers } from "./repository.ts";

/** A change to someone's membership: a new role, or leaving/being removed. */
type MembershipChange = { kind: "role"; role: MemberRole } | { kind: "remove"; self: boolean };

/**
 * The owner rules, in this one function for every membership change: only an owner changes or removes
 * an owner (anyone may leave), and an organisation keeps at least one owner.
 */
async function guardOwnerRules(
  db: Db,
  orgId: string,
  actor: Actor,
  member: MembershipRow,
  change: MembershipChange,
) {
  if (member.role !== "owner") return;
  const leaving = change.kind === "remove" && change.self;
  if (actor.role !== "owner" && !leaving) {
    throw new ApiError(
      "forbidden",
      change.kind === "role" ? "Only owners can change an owner's role" : "Only owners can remove an owner",
    );
  }
  const stopsBeingOwner = change.kind === "remove" || change.role !== "owner";
  if (stopsBeingOwner && (await countOwners(db, orgId)) <= 1) {
    throw new ApiError("conflict", "An organisation needs at least one owner");
  }
}

export async function changeMemberRole(
  db: Db,
  orgId: string,
  actor: Actor,
  userId: string,
  { role, customRoleId }: RoleChange,
): Promise<MemberRoleResult> {
  const member = await requireMember(db, orgId, userId);
  await checkRoleAssignment(db, orgId, actor, role, customRoleId);
  await guardOwnerRules(db, orgId, actor, member, { kind: "role", role });
  await auditedBatch(
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
  );
  return {
    userId,
    role,
    customRoleId: role === "custom" ? (customRoleId ?? null) : null,
    joinedAt: member.createdAt,
  };
}

/** Removes a member; a member removing themselves is leaving, which needs no permission. */
export async function removeMember(db: Db, orgId: string, actor: Actor, userId: string) {
  const self = actor.id === userId;
  if (!self && !actor.permissions.has("members:manage"))
    throw new ApiError("forbidden", "Missing permission: members:manage");
  const member = await requireMember(db, orgId, userId);
  await guardOwnerRules(db, orgId, actor, member, { kind: "remove", self });
  await auditedBatch(
    db,
    orgId,
    actor.audit,
    {
      action: self ? "member.leave" : "member.remove",
      targetType: "user",
      targetId: userId,
      changes: { role: member.role },
    },
    () => [db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))],
  );
}
