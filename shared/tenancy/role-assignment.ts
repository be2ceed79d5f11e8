import type { MemberRole } from "../contract/tenancy.ts";
import { type Db, d1ErrorText } from "../db/client.ts";
import { ApiError, notFound } from "../errors.ts";
import { type Actor, beyondHeld } from "./actor.ts";
import { type BuiltInRole, isPermission, type Permission, ROLE_PERMISSIONS } from "./permissions.ts";
import { countOwners, customRolePermissions, type MembershipRow } from "./repository.ts";

/** The permissions a role confers in `orgId` (a custom role's as stored now); 404 for an unknown role. */
export async function permissionsOfRole(
  db: Db,
  orgId: string,
  role: MemberRole,
  customRoleId: string | undefined | null,
): Promise<Set<Permission>> {
  if (role !== "custom") return new Set(ROLE_PERMISSIONS[role as BuiltInRole]);
  const stored = customRoleId ? await customRolePermissions(db, orgId, customRoleId) : null;
  if (!stored) throw notFound("Role");
  return new Set(stored.filter(isPermission));
}

/**
 * A role assignment (a role change or an invite) is valid when only an owner grants `owner`, a
 * `custom` role names one of this org's custom roles (and only `custom` carries a customRoleId), and
 * the role confers nothing the actor lacks: `members:manage` alone must not be a path to admin, for
 * the actor itself or for anyone it invites or promotes.
 */
export async function checkRoleAssignment(
  db: Db,
  orgId: string,
  actor: Actor,
  role: MemberRole,
  customRoleId: string | undefined | null,
): Promise<Set<Permission>> {
  if (role === "owner" && actor.role !== "owner") {
    throw new ApiError("forbidden", "Only owners can grant the owner role");
  }
  if (role === "custom" && !customRoleId) {
    throw new ApiError("validation_failed", "customRoleId is required for role custom", {
      errors: [{ path: "customRoleId", message: "required when role is custom" }],
    });
  }
  if (role !== "custom" && customRoleId) {
    throw new ApiError("validation_failed", "customRoleId is only allowed with role custom", {
      errors: [{ path: "customRoleId", message: "only with role custom" }],
    });
  }
  const granted = await permissionsOfRole(db, orgId, role, customRoleId);
  const beyond = beyondHeld(actor.permissions, [...granted]);
  if (beyond.length > 0) {
    throw new ApiError(
      "forbidden",
      `You cannot assign a role holding permissions you lack: ${beyond.join(", ")}`,
    );
  }
  return granted;
}

/** A change to someone's membership: a new role, leaving/being removed, or accepting an invite. */
export type MembershipChange =
  | { kind: "role"; role: MemberRole }
  | { kind: "remove"; self: boolean }
  | { kind: "accept"; role: MemberRole };

/**
 * The owner rules, in this one function for every path that changes a membership (role change,
 * removal, self-leave, invite acceptance): only an owner changes or removes an owner (anyone may
 * leave, and accepting is the owner's own act), and an organisation keeps at least one owner.
 * `actor` is null when the member acts on their own membership without an org role (accepting).
 */
export async function guardOwnerRules(
  db: Db,
  orgId: string,
  actor: Actor | null,
  member: MembershipRow,
  change: MembershipChange,
) {
  if (member.role !== "owner") return;
  const ownAct = (change.kind === "remove" && change.self) || change.kind === "accept";
  if (!ownAct && actor?.role !== "owner") {
    throw new ApiError(
      "forbidden",
      change.kind === "role" ? "Only owners can change an owner's role" : "Only owners can remove an owner",
    );
  }
  const stopsBeingOwner = change.kind === "remove" || change.role !== "owner";
  if (stopsBeingOwner && (await countOwners(db, orgId)) <= 1) throw lastOwner();
}

const lastOwner = () => new ApiError("conflict", "An organisation needs at least one owner");

/**
 * Runs the write of a membership change. The check above can pass in two concurrent requests (each
 * sees two owners); the database re-checks inside the write (migrations/0013_owner_guard.sql) and
 * aborts the whole batch, which is answered like the check would have been.
 */
export async function keepingAnOwner<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (d1ErrorText(error).includes("last_owner")) throw lastOwner();
    throw error;
  }
}

/**
 * Nobody acts on a member who holds permissions they lack (an admin's role cannot be changed, nor can
 * an admin be removed, by a role holding only `members:manage`); leaving is always allowed.
 */
export async function checkActsOnPeer(db: Db, orgId: string, actor: Actor, member: MembershipRow) {
  if (member.userId === actor.id) return;
  const held = await permissionsOfRole(db, orgId, member.role, member.customRoleId).catch(
    () => new Set<Permission>(),
  );
  const beyond = beyondHeld(actor.permissions, [...held]);
  if (beyond.length > 0) {
    throw new ApiError("forbidden", `This member holds permissions you lack: ${beyond.join(", ")}`);
  }
}
