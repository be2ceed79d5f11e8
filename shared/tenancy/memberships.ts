import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { customRoles, memberships, organizations, users } from "../db/schema/tenancy.ts";
import { type BuiltInRole, isPermission, type Permission, ROLE_PERMISSIONS } from "./permissions.ts";
import type { Plan } from "./plans.ts";

export type ResolvedMembership = {
  orgId: string;
  plan: Plan;
  role: string;
  permissions: Set<Permission>;
  /** The organisation's sign-in policy (docs/sso-mfa.md). */
  requireMfa: boolean;
  requireSso: boolean;
};

/**
 * The user's membership in `orgId` (or their oldest membership when no org is asked for), with the
 * permissions of the role. Null when the user is not a member: the caller answers 404/403, never leaks.
 */
export async function resolveMembership(
  db: Db,
  userId: string,
  orgId: string | undefined,
): Promise<ResolvedMembership | null> {
  const rows = await db
    .select({
      orgId: memberships.orgId,
      role: memberships.role,
      plan: organizations.plan,
      requireMfa: organizations.requireMfa,
      requireSso: organizations.requireSso,
      customName: customRoles.name,
      customPermissions: customRoles.permissions,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .leftJoin(customRoles, eq(customRoles.id, memberships.customRoleId))
    .where(
      and(
        eq(memberships.userId, userId),
        orgId ? eq(memberships.orgId, orgId) : undefined,
        // A deleted organisation is unusable at once (docs/data-lifecycle.md).
        isNull(organizations.deletedAt),
      ),
    )
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const permissions =
    row.role === "custom"
      ? new Set((row.customPermissions ?? []).filter(isPermission))
      : new Set(ROLE_PERMISSIONS[row.role as BuiltInRole]);
  return {
    orgId: row.orgId,
    plan: row.plan,
    role: row.role === "custom" ? `custom:${row.customName ?? "deleted"}` : row.role,
    permissions,
    requireMfa: row.requireMfa,
    requireSso: row.requireSso,
  };
}

export async function findUser(db: Db, userId: string) {
  const rows = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  return rows[0] ?? null;
}

/** The user's organisations with their role in each, oldest membership first. */
export async function listMemberships(db: Db, userId: string) {
  return db
    .select({
      orgId: organizations.id,
      name: organizations.name,
      role: memberships.role,
      plan: organizations.plan,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), isNull(organizations.deletedAt)))
    .orderBy(memberships.createdAt);
}
