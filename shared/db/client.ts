import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { ApiError } from "../errors.ts";

/**
 * Query-builder only: no relational `schema` is passed, because building drizzle's relational config
 * walks every table and nothing here uses `db.query.*`. Instances are kept per D1 binding, so a request
 * costs no set-up.
 */
export type Db = DrizzleD1Database<Record<string, never>>;

const instances = new WeakMap<D1Database, Db>();

export function createDb(d1: D1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = drizzle(d1);
    instances.set(d1, db);
  }
  return db;
}

/** What a D1 error says, its cause included (drizzle wraps the D1 error, whose text names the constraint). */
export function d1ErrorText(error: unknown): string {
  return String((error as { cause?: unknown })?.cause ?? "") + String((error as Error)?.message ?? error);
}

/** True when a D1 error is a UNIQUE constraint failure on the given table.column list. */
export function isUniqueViolation(error: unknown, columns?: string): boolean {
  const text = d1ErrorText(error);
  return text.includes("UNIQUE constraint failed") && (columns === undefined || text.includes(columns));
}

/**
 * Awaits `write`; a UNIQUE constraint failure (on `columns`, when given) becomes a 409 `detail`. The
 * constraint, not a read before the write, decides between concurrent writers.
 */
export async function conflictOnDuplicate<T>(
  write: Promise<T>,
  columns: string | undefined,
  detail: string,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error, columns)) throw new ApiError("conflict", detail);
    throw error;
  }
}
