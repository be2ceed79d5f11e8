import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { memberships, organizations, projects } from "../db/schema/tenancy.ts";
import { newId, slugify } from "../ids.ts";
import { randomBase62 } from "../crypto/tokens.ts";

/** Statements creating an org with its owner and a first project (run them in one audited batch). */
export function newOrganization(
  db: Db,
  input: { name: string; ownerId: string; plan?: "free" | "pro" | "enterprise" },
) {
  const now = Date.now();
  const org = {
    id: newId("org", now),
    name: input.name,
    // Random suffix: slugs are global and must not reveal whether another tenant took a name.
    slug: `${slugify(input.name).slice(0, 40)}-${randomBase62(6).toLowerCase()}`,
    plan: input.plan ?? "free",
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

export async function getOrganization(db: Db, orgId: string) {
  const rows = await db.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  return rows[0] ?? null;
}
