import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { notFound } from "../errors.ts";
import { type PageQuery, toPage } from "../pagination.ts";
import type { Db } from "./client.ts";

/** A tenant table: a prefixed, time-ordered `id` and the owning `orgId`. */
type OrgTable = SQLiteTable & { id: SQLiteColumn; orgId: SQLiteColumn; $inferSelect: unknown };
type Row<T extends OrgTable> = T["$inferSelect"];

/**
 * One row of `table` by id, only if it belongs to `orgId`: the tenant filter is part of the call, so
 * another organisation's id reads exactly like an unknown one.
 */
export async function findInOrg<T extends OrgTable>(
  db: Db,
  table: T,
  orgId: string,
  id: string,
): Promise<Row<T> | null> {
  const rows = await db
    .select()
    .from(table as SQLiteTable)
    .where(and(eq(table.orgId, orgId), eq(table.id, id)))
    .limit(1);
  return (rows[0] as Row<T> | undefined) ?? null;
}

/** As `findInOrg`, but a missing row (or another organisation's) is a 404 naming `what`. */
export async function requireInOrg<T extends OrgTable>(
  db: Db,
  table: T,
  orgId: string,
  id: string,
  what: string,
): Promise<Row<T>> {
  const row = await findInOrg(db, table, orgId, id);
  if (!row) throw notFound(what);
  return row;
}

/**
 * A newest-first page of the org's rows (`?limit=&cursor=`, docs/architecture.md), narrowed by optional `filters`.
 * Ids are time-ordered, so the cursor is the last id seen.
 */
export async function pageInOrg<T extends OrgTable>(
  db: Db,
  table: T,
  orgId: string,
  page: PageQuery,
  ...filters: (SQL | undefined)[]
): Promise<{ items: Row<T>[]; nextCursor: string | null }> {
  const rows = await db
    .select()
    .from(table as SQLiteTable)
    .where(and(eq(table.orgId, orgId), page.cursor ? lt(table.id, page.cursor) : undefined, ...filters))
    .orderBy(desc(table.id))
    .limit(page.limit + 1);
  return toPage(rows as (Row<T> & { id: string })[], page.limit);
}
