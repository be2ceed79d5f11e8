import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, projectRow } from "./columns.ts";

/** A failure artifact of one test result (migrations/0022_ci_artifacts.sql); the bytes are in R2. */
export const ciArtifacts = sqliteTable(
  "ci_artifacts",
  {
    ...projectRow(),
    runId: text("run_id").notNull(),
    resultId: text("result_id").notNull(),
    kind: text("kind", { enum: ["trace", "screenshot", "video"] }).notNull(),
    name: text("name").notNull(),
    contentType: text("content_type", { enum: ["application/zip", "image/png", "video/webm"] }).notNull(),
    size: integer("size").notNull(),
    r2Key: text("r2_key").notNull(),
    ...createdAt(),
  },
  (t) => [
    index("ci_artifacts_run").on(t.orgId, t.runId, t.id),
    index("ci_artifacts_result").on(t.orgId, t.resultId, t.id),
  ],
);
