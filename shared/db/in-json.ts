import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * `column IN (…)` for any number of values, bound as ONE JSON parameter and expanded with `json_each`
 * (D1 binds at most 100 parameters per statement).
 */
export function inJson(column: SQLiteColumn, values: readonly string[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}
