import { sql } from "drizzle-orm";
import { type Db, d1ErrorText } from "./client.ts";

/**
 * A batch statement that aborts the batch (every statement of it rolls back) when the statement just
 * before it changed no row: the compare-and-set of a D1 batch. Migration 0026 (`write_guard`) holds the
 * CHECK it breaks; see docs/architecture.md, "Conventions".
 */
export function abortUnlessChanged(db: Db) {
  return db.run(sql`INSERT INTO write_guard (ok) SELECT 0 WHERE changes() = 0`);
}

/** True when a D1 batch failed because an `abortUnlessChanged` guard tripped. */
export function isGuardTripped(error: unknown): boolean {
  const text = d1ErrorText(error);
  return text.includes("CHECK constraint failed") && text.includes("write_guard_tripped");
}
