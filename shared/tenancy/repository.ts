import { and, asc, count, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { customRoles, invites, memberships, users } from "../db/schema/tenancy.ts";
import { notFound } from "../errors.ts";

/** Tenancy queries that are more than a `findInOrg`/`pageInOrg`: members, role holders, invites. */

export type MembershipRow = typeof memberships.$inferSelect;

/** Members ordered by user id (the cursor is the last user id seen). */
export async function pageMembers(db: Db, orgId: string, limit: number, cursor: string | undefined) {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      customRoleId: memberships.customRoleId,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), cursor ? gt(users.id, cursor) : undefined))
    .orderBy(asc(users.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.userId ?? null) : null };
}

/** The membership of `userId` in `orgId`, or null. */
export async function findMember(db: Db, orgId: string, userId: string): Promise<MembershipRow | null> {
  const rows = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

/** The membership of `userId` in `orgId`, or a 404 naming a member. */
export async function requireMember(db: Db, orgId: string, userId: string): Promise<MembershipRow> {
  const found = await findMember(db, orgId, userId);
  if (!found) throw notFound("Member");
  return found;
}

export async function countOwners(db: Db, orgId: string): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return rows[0]?.n ?? 0;
}

/** How many members hold the custom role `roleId`. */
export async function countRoleHolders(db: Db, orgId: string, roleId: string): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.customRoleId, roleId)));
  return rows[0]?.n ?? 0;
}

export async function customRolesOf(db: Db, orgId: string) {
  return db.select().from(customRoles).where(eq(customRoles.orgId, orgId)).orderBy(asc(customRoles.name));
}

/** The permissions of this org's custom role `roleId`, or null when it has no such role. */
export async function customRolePermissions(db: Db, orgId: string, roleId: string): Promise<string[] | null> {
  const found = await db
    .select({ permissions: customRoles.permissions })
    .from(customRoles)
    .where(and(eq(customRoles.orgId, orgId), eq(customRoles.id, roleId)))
    .limit(1);
  return found[0]?.permissions ?? null;
}

/** An invite by the hash of its token, in any organisation (the token is the credential). */
export async function findInviteByTokenHash(db: Db, tokenHash: string) {
  const rows = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).limit(1);
  return rows[0] ?? null;
}
