import { and, desc, eq, getTableColumns, lt, type SQL, sql } from "drizzle-orm";
import type { SelectedFields, SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
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
  const one = preparedFor(db, table, "one", () =>
    db
      .select()
      .from(table as SQLiteTable)
      .where(and(eq(table.orgId, sql.placeholder("orgId")), eq(table.id, sql.placeholder("id"))))
      .limit(1)
      .prepare(),
  );
  const rows = await one.all({ orgId, id });
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
  // No filter given (an optional one left out arrives as undefined): the prepared statements serve it.
  if (filters.every((filter) => filter === undefined)) {
    const rows = await (page.cursor
      ? pagePrepared(db, table, "after").all({ orgId, cursor: page.cursor, limit: page.limit + 1 })
      : pagePrepared(db, table, "first").all({ orgId, limit: page.limit + 1 }));
    return toPage(rows as (Row<T> & { id: string })[], page.limit);
  }
  const rows = await selectInOrg(
    db,
    table,
    orgId,
    page.cursor ? lt(table.id, page.cursor) : undefined,
    ...filters,
  )
    .orderBy(desc(table.id))
    .limit(page.limit + 1);
  return toPage(rows as (Row<T> & { id: string })[], page.limit);
}

/**
 * Values for some of a table's fields, as its rows hold them. Not null: `column = NULL` matches no row,
 * so a "has no value" filter is written with `isNull` instead.
 */
type Matching<T extends SQLiteTable> = {
  [K in keyof T["$inferSelect"]]?: Exclude<T["$inferSelect"][K], null>;
};

/**
 * `column = value` for each field named in `values`, in their order; an undefined value is a filter the
 * caller was not given (an optional query parameter) and is skipped, as the helpers here skip an
 * undefined filter. For the `filters` of the helpers in this file.
 */
export function matching<T extends SQLiteTable>(table: T, values: Matching<T>): (SQL | undefined)[] {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  return Object.entries(values).map(([field, value]) =>
    value === undefined ? undefined : eq(columns[field]!, value),
  );
}

/** As `pageInOrg`, narrowed to the rows whose fields equal `values` (`matching`, undefined ones skipped). */
export function pageMatching<T extends OrgTable>(
  db: Db,
  table: T,
  orgId: string,
  page: PageQuery,
  values: Matching<T>,
) {
  return pageInOrg(db, table, orgId, page, ...matching(table, values));
}

/** Any table with an `orgId` column: the org filter below needs nothing else. */
type OrgScopedTable = SQLiteTable & { orgId: SQLiteColumn };

/**
 * The org's rows of `table` that match every filter (an undefined one is skipped), as drizzle's select:
 * the caller adds its order and limit, and the rows keep the table's types.
 */
export function selectInOrg<T extends OrgScopedTable>(
  db: Db,
  table: T,
  orgId: string,
  ...filters: (SQL | undefined)[]
) {
  return db
    .select()
    .from(table)
    .where(and(eq(table.orgId, orgId), ...filters));
}

/** As `selectInOrg`, reading only `columns` (drizzle's partial select). */
export function selectColumnsInOrg<F extends SelectedFields, T extends OrgScopedTable>(
  db: Db,
  columns: F,
  table: T,
  orgId: string,
  ...filters: (SQL | undefined)[]
) {
  return db
    .select(columns)
    .from(table)
    .where(and(eq(table.orgId, orgId), ...filters));
}

/** The first of the org's rows of `table` that match every filter, or null. */
export async function firstInOrg<T extends OrgScopedTable>(
  db: Db,
  table: T,
  orgId: string,
  ...filters: (SQL | undefined)[]
) {
  const [row] = await selectInOrg(db, table, orgId, ...filters).limit(1);
  return row ?? null;
}

/** A table with at most one row per project: a project's settings or its integration with a service. */
type ProjectRowTable = SQLiteTable & { orgId: SQLiteColumn; projectId: SQLiteColumn; $inferSelect: unknown };

/** The org's row of `table` for `projectId`, or null (the project is not checked here). */
export async function findProjectRow<T extends ProjectRowTable>(
  db: Db,
  table: T,
  orgId: string,
  projectId: string,
): Promise<T["$inferSelect"] | null> {
  return (await firstInOrg(db, table, orgId, eq(table.projectId, projectId))) as T["$inferSelect"] | null;
}

/** Rows made once per (event, round) with a status: webhook deliveries, workflow runs, Slack deliveries. */
type RoundTable = OrgTable & { eventId: SQLiteColumn; round: SQLiteColumn; status: SQLiteColumn };

/**
 * The rows of one round of an inbound event that are still in `status`: what processing queues (again,
 * after a redelivery) for its consumers (docs/webhooks.md).
 */
export async function roundRowsIn(
  db: Db,
  table: RoundTable,
  event: { orgId: string; id: string; round: number },
  status: string,
): Promise<{ id: string; orgId: string }[]> {
  const rows = await selectColumnsInOrg(
    db,
    { id: table.id, orgId: table.orgId },
    table,
    event.orgId,
    eq(table.eventId, event.id),
    eq(table.round, event.round),
    eq(table.status, status),
  );
  return rows as { id: string; orgId: string }[];
}

/**
 * The unfiltered lookups above, prepared once per (client, table): drizzle then neither builds nor
 * renders the query again, which is most of its cost on hot paths such as the project list
 * (docs/architecture.md, "Caches on the request path"). Values are bound per call.
 */
type Prepared = { all(values: Record<string, unknown>): Promise<unknown[]> };
type Kind = "one" | "first" | "after";
const prepared = new WeakMap<Db, WeakMap<OrgTable, Map<Kind, Prepared>>>();

function preparedFor(db: Db, table: OrgTable, kind: Kind, build: () => Prepared): Prepared {
  let byTable = prepared.get(db);
  if (!byTable) {
    byTable = new WeakMap();
    prepared.set(db, byTable);
  }
  let kinds = byTable.get(table);
  if (!kinds) {
    kinds = new Map();
    byTable.set(table, kinds);
  }
  let query = kinds.get(kind);
  if (!query) {
    query = build();
    kinds.set(kind, query);
  }
  return query;
}

function pagePrepared(db: Db, table: OrgTable, kind: "first" | "after"): Prepared {
  return preparedFor(db, table, kind, () =>
    db
      .select()
      .from(table as SQLiteTable)
      .where(
        and(
          eq(table.orgId, sql.placeholder("orgId")),
          kind === "after" ? lt(table.id, sql.placeholder("cursor")) : undefined,
        ),
      )
      .orderBy(desc(table.id))
      .limit(sql.placeholder("limit"))
      .prepare(),
  );
}
