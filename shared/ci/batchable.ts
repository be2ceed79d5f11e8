import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.ts";

const dialect = new SQLiteAsyncDialect();

/**
 * A raw SQL statement usable inside `db.batch([...])`. drizzle-orm 0.45's `db.run(sql)` cannot be
 * batched on D1 when it has bound parameters (its SQLiteRaw has no prepared `stmt`, so the D1 session's
 * batch throws "Cannot read properties of undefined (reading 'bind')"). This item gives the session
 * exactly what it reads from a prepared query: `stmt`, `getQuery()` and `mapResult()`.
 */
export function batchable(db: Db, query: SQL): BatchItem<"sqlite"> {
  const built = dialect.sqlToQuery(query);
  const stmt = (db as unknown as { $client: D1Database }).$client.prepare(built.sql);
  const prepared = { stmt, getQuery: () => built, mapResult: (result: unknown) => result };
  return { _prepare: () => prepared } as unknown as BatchItem<"sqlite">;
}
