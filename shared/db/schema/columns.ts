import { integer, text } from "drizzle-orm/sqlite-core";

/**
 * Column groups every tenant table repeats (CONTRIBUTING.md, "Add a migration"): a prefixed id as the
 * primary key with the owning organisation, and integer millisecond timestamps. Functions, because each
 * table needs its own column builders.
 */
export const orgRow = () => ({
  id: text("id").primaryKey(),
  orgId: text("org_id").notNull(),
});

export const createdAt = () => ({ createdAt: integer("created_at").notNull() });

export const timestamps = () => ({
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
