import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, orgRow, timestamps } from "./columns.ts";

/** An organisation export in progress or done (migrations/0023_data_lifecycle.sql, docs/data-lifecycle.md). */
export const orgExports = sqliteTable(
  "org_exports",
  {
    ...orgRow(),
    status: text("status", { enum: ["running", "succeeded", "failed", "expired"] }).notNull(),
    requestedBy: text("requested_by").notNull(),
    /** Where the next page starts (`<table index>:<last rowid>`); null before the first page. */
    cursor: text("cursor"),
    pages: integer("pages").notNull().default(0),
    rows: integer("rows").notNull().default(0),
    bytes: integer("bytes").notNull().default(0),
    error: text("error"),
    ...timestamps(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("org_exports_org").on(t.orgId, t.id)],
);

/**
 * A personal value of an audit row (email, IP address, user agent), kept outside the hash chain: the
 * row holds `ref` = `pii_` + SHA-256(nonce ‖ value), which the chain hashes. Erasing a person deletes
 * these rows; the reference stays in the audit row as its pseudonym.
 */
export const auditPersonal = sqliteTable(
  "audit_personal",
  {
    ref: text("ref").primaryKey(),
    orgId: text("org_id").notNull(),
    value: text("value").notNull(),
    nonce: text("nonce").notNull(),
    /** The user the value belongs to when known (an acting user's IP and user agent). */
    subjectId: text("subject_id"),
    ...createdAt(),
  },
  (t) => [index("audit_personal_org").on(t.orgId, t.ref)],
);
