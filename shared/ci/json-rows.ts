import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.ts";
import { batchable } from "./batchable.ts";

/**
 * Bulk writes that bind one JSON array of rows per statement and expand it with `json_each`.
 *
 * D1 allows 100 bound parameters per statement, which would mean ~7 result rows per INSERT and ~1,500
 * statements for 10k tests (beyond the per-invocation query limit). Here a 10k-test upload is ~30
 * statements of ≤256 KiB of JSON each. Rows are typed objects; each becomes a JSON array in the order
 * of a key list whose keys are the table's own (drizzle) fields, and the SQL column names come from the
 * same list, so values and columns cannot drift apart.
 */

const CHUNK_BYTES = 256 * 1024;

type Insert<T extends SQLiteTable> = T["$inferInsert"];
type Key<T extends SQLiteTable> = keyof Insert<T> & string;

/** Splits rows into JSON arrays of at most `maxBytes` (one bound parameter each). */
export function chunkRows(rows: unknown[][], maxBytes = CHUNK_BYTES): string[] {
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (parts.length > 0 && size + json.length + 1 > maxBytes) {
      chunks.push(`[${parts.join(",")}]`);
      parts = [];
      size = 2;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length > 0) chunks.push(`[${parts.join(",")}]`);
  return chunks;
}

/** SQLite stores booleans as 0/1; JSON `true` would arrive as 1 too, but say it. */
const cell = (value: unknown) => (typeof value === "boolean" ? (value ? 1 : 0) : (value ?? null));

/** Typed rows → JSON chunks, each row an array in `keys` order. */
export function encodeRows<R, K extends keyof R>(rows: readonly R[], keys: readonly K[]): string[] {
  return chunkRows(rows.map((row) => keys.map((k) => cell(row[k]))));
}

const at = (i: number) => sql.raw(`json_extract(j.value, '$[${i}]')`);

function columnName<T extends SQLiteTable>(table: T, key: Key<T>): string {
  const column = (getTableColumns(table) as Record<string, { name: string }>)[key];
  if (!column) throw new Error(`${getTableName(table)} has no field ${key}`);
  return column.name;
}

/**
 * INSERT … SELECT over json_each, one statement per chunk of `rows`: each row's values by position
 * (`keys`, encoded in that same order), then per-statement constants.
 */
export function jsonInserts<T extends SQLiteTable, K extends Key<T>>(
  db: Db,
  table: T,
  keys: readonly K[],
  constants: Partial<Insert<T>>,
  rows: readonly Record<K, unknown>[],
): BatchItem<"sqlite">[] {
  const constKeys = Object.keys(constants) as Key<T>[];
  const values: SQL[] = [...keys.map((_, i) => at(i)), ...constKeys.map((k) => sql`${cell(constants[k])}`)];
  const names = [...keys, ...constKeys].map((k) => columnName(table, k)).join(", ");
  return encodeRows(rows, keys).map((chunk) =>
    batchable(
      db,
      sql`INSERT INTO ${sql.raw(getTableName(table))} (${sql.raw(names)}) SELECT ${sql.join(values, sql`, `)} FROM json_each(${chunk}) AS j`,
    ),
  );
}

/** A row of an update: its id, its organisation's when the rows are of many (`"per-row"`), and `keys`. */
type UpdateRow<K extends string, O extends string> = { id: string } & Record<K, unknown> &
  (O extends "per-row" ? { orgId: string } : unknown);

/**
 * UPDATE … FROM json_each joined on the primary key, one statement per chunk of `rows`. Each row is
 * encoded `[id, …keys]` for one organisation's rows (`org` = its id), or `[id, orgId, …keys]` for rows of
 * many (`org` = "per-row"). The org filter is written `+<table>.org_id` so SQLite cannot use it as an
 * index: otherwise it scans the org's rows for every JSON row (O(n·m), minutes for 10k tests) instead of
 * one primary-key lookup per row.
 */
export function jsonUpdates<T extends SQLiteTable, K extends Key<T>, O extends string>(
  db: Db,
  table: T,
  keys: readonly K[],
  org: O,
  rows: readonly UpdateRow<K, O>[],
): BatchItem<"sqlite">[] {
  const name = getTableName(table);
  const perRow = org === "per-row";
  const first = perRow ? 2 : 1;
  const sets = sql.join(
    keys.map((k, i) => sql`${sql.raw(columnName(table, k))} = ${at(i + first)}`),
    sql`, `,
  );
  const orgId = perRow ? at(1) : sql`${org}`;
  const encoded = (perRow ? ["id", "orgId", ...keys] : ["id", ...keys]) as (keyof UpdateRow<K, O>)[];
  return encodeRows(rows, encoded).map((chunk) =>
    batchable(
      db,
      sql`UPDATE ${sql.raw(name)} SET ${sets} FROM json_each(${chunk}) AS j WHERE ${sql.raw(name)}.id = ${at(0)} AND +${sql.raw(name)}.org_id = ${orgId}`,
    ),
  );
}
