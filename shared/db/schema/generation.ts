import { index, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { projectRow, timestamps } from "./columns.ts";

/**
 * Test generations: one row per `POST /v1/projects/{id}/generations`. The generated files live in R2
 * under `generations/<org>/<id>/<file>`; the row keeps the figures and the list of files.
 */
export const generations = sqliteTable(
  "generations",
  {
    ...projectRow(),
    status: text("status", { enum: ["queued", "planning", "succeeded", "failed"] }).notNull(),
    progress: real("progress").notNull(),
    appUrl: text("app_url").notNull(),
    /** What the tests were planned from (migrations/0019_generation_source.sql). */
    source: text("source", { enum: ["exploration", "session"] }).notNull(),
    /** The manual session a `session` generation was planned from. */
    sessionId: text("session_id"),
    /** JSON: { pages, interactions, tests, assertions }. */
    figures: text("figures").notNull(),
    /** JSON: [{ path, tests }] — the contents are in R2. */
    files: text("files").notNull(),
    error: text("error"),
    createdBy: text("created_by").notNull(),
    ...timestamps(),
  },
  (t) => [index("generations_project").on(t.orgId, t.projectId, t.id)],
);
