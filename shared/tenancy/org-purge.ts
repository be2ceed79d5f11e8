import { and, eq, isNotNull, lte, sql } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.ts";
import * as schema from "../db/schema/index.ts";
import { organizations } from "../db/schema/tenancy.ts";
import { forgetCachedKeys, type KeyCache } from "./api-key-cache.ts";
import { ORG_RESTORE_WINDOW_MS } from "./org-lifecycle.ts";

/** Rows deleted per statement, and organisations erased per cron tick: the work per tick is bounded. */
const ROWS_PER_STATEMENT = 500;
const ORGS_PER_TICK = 5;
/** Where organisations keep R2 objects (shared/sessions, shared/healing, shared/generation). */
const r2Prefixes = (orgId: string) => [
  `orgs/${orgId}/`,
  `heal-examples/${orgId}/`,
  `generations/${orgId}/`,
  `exports/${orgId}/`,
];

/** Every table with an `org_id` column except memberships (the schema is the list; export shares it). */
export function tenantTables(): string[] {
  const names: string[] = [];
  for (const value of Object.values(schema)) {
    if (!value || typeof value !== "object" || !(Symbol.for("drizzle:IsDrizzleTable") in value)) continue;
    const config = getTableConfig(value as SQLiteTable);
    if (config.columns.some((c) => c.name === "org_id") && config.name !== "memberships")
      names.push(config.name);
  }
  return names;
}

export async function deleteR2Prefix(artifacts: R2Bucket, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await artifacts.list({ prefix, cursor, limit: 1000 });
    if (page.objects.length > 0) await artifacts.delete(page.objects.map((o) => o.key));
    deleted += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}

/**
 * Erases one organisation: cached key lookups, its R2 objects, then its rows table by table in
 * bounded statements, the organisation row last (its memberships go with it by ON DELETE CASCADE;
 * migrations/0013_owner_guard.sql lets them go only then). A table that a foreign key keeps waiting
 * is retried after the others.
 */
export async function hardDeleteOrganization(
  deps: { db: Db; keys: KeyCache; artifacts: R2Bucket },
  orgId: string,
): Promise<{ rows: number; objects: number }> {
  const { db } = deps;
  await forgetCachedKeys(db, deps.keys, orgId);
  let objects = 0;
  for (const prefix of r2Prefixes(orgId)) objects += await deleteR2Prefix(deps.artifacts, prefix);
  let rows = 0;
  let pending = tenantTables();
  for (let pass = 0; pending.length > 0 && pass < 5; pass++) {
    const blocked: string[] = [];
    for (const table of pending) {
      try {
        for (;;) {
          const result = await db.run(
            sql`DELETE FROM ${sql.identifier(table)} WHERE rowid IN (SELECT rowid FROM ${sql.identifier(table)} WHERE org_id = ${orgId} LIMIT ${ROWS_PER_STATEMENT})`,
          );
          const changed = result.meta.changes ?? 0;
          rows += changed;
          if (changed < ROWS_PER_STATEMENT) break;
        }
      } catch (error) {
        if (!/FOREIGN KEY/i.test(String(error))) throw error;
        blocked.push(table);
      }
    }
    pending = blocked;
  }
  const last = await db
    .delete(organizations)
    .where(eq(organizations.id, orgId))
    .returning({ id: organizations.id });
  return { rows: rows + last.length, objects };
}

/** The daily cron's work: erase organisations deleted more than the restore window ago. */
export async function purgeDeletedOrganizations(
  deps: { db: Db; keys: KeyCache; artifacts: R2Bucket },
  now: number,
): Promise<{ counts: Record<string, number> }> {
  const due = await deps.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(isNotNull(organizations.deletedAt), lte(organizations.deletedAt, now - ORG_RESTORE_WINDOW_MS)))
    .limit(ORGS_PER_TICK);
  const counts = { orgs: 0, rows: 0, objects: 0 };
  for (const org of due) {
    const erased = await hardDeleteOrganization(deps, org.id);
    counts.orgs++;
    counts.rows += erased.rows;
    counts.objects += erased.objects;
  }
  return { counts };
}
