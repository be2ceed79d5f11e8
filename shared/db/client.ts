import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema/index.ts";

export type Db = DrizzleD1Database<typeof schema>;

export function createDb(d1: D1Database): Db {
  return drizzle(d1, { schema });
}

/** True when a D1 error is a UNIQUE constraint failure on the given table.column list. */
export function isUniqueViolation(error: unknown, columns?: string): boolean {
  const text =
    String((error as { cause?: unknown })?.cause ?? "") + String((error as Error)?.message ?? error);
  return text.includes("UNIQUE constraint failed") && (columns === undefined || text.includes(columns));
}
