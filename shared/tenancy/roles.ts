import { auditedDelete, auditedInsert, auditedUpdate } from "../audit/repository.ts";
import type { CustomRolePatch, NewCustomRole, Role } from "../contract/tenancy.ts";
import { conflictOnDuplicate, type Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { customRoles } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import { type Actor, beyondHeld } from "./actor.ts";
import { forgetCachedKeys, type KeyCache } from "./api-key-cache.ts";
import { ROLE_PERMISSIONS } from "./permissions.ts";
import { countRoleHolders, customRolesOf } from "./repository.ts";

type CustomRoleRow = typeof customRoles.$inferSelect;

const toRole = (row: Pick<CustomRoleRow, "id" | "name" | "description" | "permissions">): Role => ({
  id: row.id,
  name: row.name,
  description: row.description,
  builtIn: false,
  permissions: row.permissions,
});

/** Nobody grants a permission they do not hold themselves. */
function checkGrantable(actor: Actor, permissions: readonly string[]) {
  const beyond = beyondHeld(actor.permissions, permissions);
  if (beyond.length)
    throw new ApiError("forbidden", `You cannot grant permissions you do not hold: ${beyond.join(", ")}`);
}

/** The built-in roles (their id is their name), then the org's custom roles by name. */
export async function listRoles(db: Db, orgId: string): Promise<{ items: Role[] }> {
  const custom = await customRolesOf(db, orgId);
  const builtIn = Object.entries(ROLE_PERMISSIONS).map(([name, permissions]) => ({
    id: name,
    name,
    description: null,
    builtIn: true,
    permissions: [...permissions],
  }));
  return { items: [...builtIn, ...custom.map(toRole)] };
}

export async function createCustomRole(
  db: Db,
  orgId: string,
  actor: Actor,
  input: NewCustomRole,
): Promise<Role> {
  checkGrantable(actor, input.permissions);
  const now = Date.now();
  const row: CustomRoleRow = {
    id: newId("rol", now),
    orgId,
    name: input.name,
    description: input.description ?? null,
    permissions: [...new Set(input.permissions)],
    createdAt: now,
    updatedAt: now,
  };
  const write = auditedInsert(db, orgId, actor.audit, customRoles, row, {
    action: "role.create",
    targetType: "role",
    changes: { name: row.name, permissions: row.permissions },
  });
  await conflictOnDuplicate(write, "custom_roles", `A role named "${row.name}" exists`);
  return toRole(row);
}

export async function updateCustomRole(
  db: Db,
  keys: KeyCache,
  orgId: string,
  actor: Actor,
  roleId: string,
  patch: CustomRolePatch,
): Promise<Role> {
  const role = await requireInOrg(db, customRoles, orgId, roleId, "Role");
  if (patch.permissions) checkGrantable(actor, patch.permissions);
  const next = {
    description: patch.description === undefined ? role.description : patch.description,
    permissions: patch.permissions ? [...new Set(patch.permissions)] : role.permissions,
    updatedAt: Date.now(),
  };
  await auditedUpdate(db, orgId, actor.audit, customRoles, roleId, next, {
    action: "role.update",
    targetType: "role",
    changes: { from: role.permissions, to: next.permissions },
  });
  // Keys are bounded by their owners' permissions, and holders of this role may own keys.
  if (patch.permissions) await forgetCachedKeys(db, keys, orgId);
  return toRole({ ...role, ...next });
}

/** Only a role nobody holds can go (409 otherwise: reassign its holders first). */
export async function deleteCustomRole(db: Db, orgId: string, actor: Actor, roleId: string) {
  const role = await requireInOrg(db, customRoles, orgId, roleId, "Role");
  if ((await countRoleHolders(db, orgId, roleId)) > 0)
    throw new ApiError("conflict", "Members still hold this role; reassign them first");
  await auditedDelete(db, orgId, actor.audit, customRoles, roleId, {
    action: "role.delete",
    targetType: "role",
    changes: { name: role.name },
  });
}
