import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { projectRow, projectSettingsRow, timestamps } from "./columns.ts";

/**
 * "Heal once, reuse": a locator the SDK healed during a test run, per project. Accepted heals (auto,
 * above the project's threshold, or approved by a person) are used directly by later runs; pending ones
 * wait for review; rejected ones are never reused. One row per (project, original selector, healed
 * selector, source location); a repeat of the same heal bumps `occurrences`.
 */
export const healedLocators = sqliteTable(
  "healed_locators",
  {
    ...projectRow(),
    status: text("status", { enum: ["pending", "accepted", "rejected"] }).notNull(),
    /** True when the status came from the project's auto-accept threshold rather than a person. */
    autoAccepted: integer("auto_accepted", { mode: "boolean" }).notNull(),
    testFile: text("test_file").notNull(),
    testTitle: text("test_title").notNull(),
    /** Where the locator was written: file:line:column of the call that built it. */
    sourceFile: text("source_file").notNull(),
    sourceLine: integer("source_line").notNull(),
    sourceColumn: integer("source_column").notNull(),
    originalSelector: text("original_selector").notNull(),
    healedSelector: text("healed_selector").notNull(),
    /** A Playwright locator expression for the healed element (what `shifty heals --fix` writes). */
    healedLocator: text("healed_locator"),
    confidence: real("confidence").notNull(),
    attemptId: text("attempt_id").notNull(),
    runId: text("run_id"),
    occurrences: integer("occurrences").notNull(),
    reviewedBy: text("reviewed_by"),
    reviewedAt: integer("reviewed_at"),
    reviewNote: text("review_note"),
    ...timestamps(),
  },
  (t) => [
    index("healed_locators_project").on(t.orgId, t.projectId, t.id),
    index("healed_locators_status").on(t.orgId, t.projectId, t.status, t.id),
    index("healed_locators_updated").on(t.updatedAt),
    uniqueIndex("healed_locators_identity").on(
      t.orgId,
      t.projectId,
      t.originalSelector,
      t.healedSelector,
      t.sourceFile,
      t.sourceLine,
      t.sourceColumn,
    ),
  ],
);

/** Per-project healing settings; a project without a row uses DEFAULT_AUTO_ACCEPT_THRESHOLD. */
export const healSettings = sqliteTable("heal_settings", {
  ...projectSettingsRow(),
  autoAcceptThreshold: real("auto_accept_threshold").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
