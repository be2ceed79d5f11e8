import { and, count, eq } from "drizzle-orm";
import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import type { Membership, Organization } from "../contract/tenancy.ts";
import { randomBase62 } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { memberships, organizations, projects } from "../db/schema/tenancy.ts";
import { ApiError, notFound } from "../errors.ts";
import { newId, slugify } from "../ids.ts";
import { forgetCachedKeys, type KeyCache } from "./api-key-cache.ts";
import { listMemberships } from "./memberships.ts";
import type { Plan } from "./plans.ts";

type OrganizationRow = typeof organizations.$inferSelect;

export const toOrganization = (o: OrganizationRow): Organization => ({
  id: o.id,
  name: o.name,
  slug: o.slug,
  plan: o.plan,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
});

/** Statements creating an org with its owner and a first project (run them in one audited batch). */
export function newOrganization(db: Db, input: { name: string; ownerId: string; plan?: Plan }) {
  const now = Date.now();
  const org: OrganizationRow = {
    id: newId("org", now),
    name: input.name,
    // Random suffix: slugs are global and must not reveal whether another tenant took a name.
    slug: `${slugify(input.name).slice(0, 40)}-${randomBase62(6).toLowerCase()}`,
    plan: input.plan ?? "free",
    requireMfa: false,
    requireSso: false,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const project = {
    id: newId("prj", now),
    orgId: org.id,
    name: "Default",
    slug: "default",
    description: "Created with the organisation",
    createdAt: now,
    updatedAt: now,
  };
  return {
    org,
    project,
    statements: () =>
      [
        db.insert(organizations).values(org),
        db
          .insert(memberships)
          .values({ orgId: org.id, userId: input.ownerId, role: "owner", createdAt: now }),
        db.insert(projects).values(project),
      ] as const,
  };
}

async function getOrganization(db: Db, orgId: string) {
  const rows = await db.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  return rows[0] ?? null;
}

export async function requireOrganization(db: Db, orgId: string): Promise<OrganizationRow> {
  const org = await getOrganization(db, orgId);
  if (!org) throw notFound("Organisation");
  return org;
}

/**
 * The organisations a caller sees: a user's memberships, or for an API key its own organisation
 * (with `api_key` as the role).
 */
export async function organizationsOf(
  db: Db,
  caller: { userId: string } | { orgId: string },
): Promise<{ items: Membership[] }> {
  if ("userId" in caller) return { items: await listMemberships(db, caller.userId) };
  const org = await getOrganization(db, caller.orgId);
  return { items: org ? [{ orgId: org.id, name: org.name, role: "api_key", plan: org.plan }] : [] };
}

/**
 * Organisations one user may own by default (MAX_OWNED_ORGS_PER_USER overrides it): each costs a
 * tenant's worth of rows and its own rate-limit buckets.
 */
export const MAX_OWNED_ORGS = 10;

/**
 * A signed-in user creates an organisation and becomes its owner (with a first project); at most
 * `maxOwned` per user (409). Two concurrent creations may both pass the count: the cap is a brake
 * against scripted tenant farming, not an exact quota.
 */
export async function createOrganization(
  db: Db,
  userId: string,
  ctx: AuditContext,
  name: string,
  maxOwned = MAX_OWNED_ORGS,
): Promise<Organization> {
  const [owned] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "owner")));
  if ((owned?.n ?? 0) >= maxOwned)
    throw new ApiError("conflict", `A user may own at most ${maxOwned} organisations`);
  const created = newOrganization(db, { name, ownerId: userId });
  await auditedBatch(
    db,
    created.org.id,
    { ...ctx, actor: { type: "user", id: userId } },
    {
      action: "org.create",
      targetType: "organization",
      targetId: created.org.id,
      changes: { name: created.org.name },
    },
    () => [...created.statements()],
  );
  return toOrganization(created.org);
}

export async function renameOrganization(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  name: string,
): Promise<Organization> {
  await auditedBatch(
    db,
    orgId,
    ctx,
    { action: "org.update", targetType: "organization", targetId: orgId, changes: { name } },
    () => [db.update(organizations).set({ name, updatedAt: Date.now() }).where(eq(organizations.id, orgId))],
  );
  return toOrganization(await requireOrganization(db, orgId));
}

/** Moves an organisation to another plan; its keys' cached lookups carry the plan, so they are dropped. */
export async function changePlan(
  db: Db,
  keys: KeyCache,
  orgId: string,
  ctx: AuditContext,
  plan: Plan,
): Promise<Organization> {
  const before = await requireOrganization(db, orgId);
  await auditedBatch(
    db,
    orgId,
    ctx,
    {
      action: "org.plan.change",
      targetType: "organization",
      targetId: orgId,
      changes: { from: before.plan, to: plan },
    },
    () => [db.update(organizations).set({ plan, updatedAt: Date.now() }).where(eq(organizations.id, orgId))],
  );
  await forgetCachedKeys(db, keys, orgId);
  return toOrganization({ ...before, plan, updatedAt: Date.now() });
}
