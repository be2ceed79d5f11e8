import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { HealingModel } from "../../healing/types.ts";
import { createdAt, orgRow } from "./columns.ts";

/** One row per POST /v1/heal: what was asked (hash), what was answered, and later the truth. */
export const healAttempts = sqliteTable(
  "heal_attempts",
  {
    ...orgRow(),
    projectId: text("project_id"),
    form: text("form", { enum: ["candidates", "dom"] }).notNull(),
    selector: text("selector"),
    inputHash: text("input_hash").notNull(),
    candidateCount: integer("candidate_count").notNull(),
    healed: integer("healed", { mode: "boolean" }).notNull(),
    confidence: real("confidence").notNull(),
    strategy: text("strategy").notNull(),
    resultIndex: integer("result_index"),
    resultSelector: text("result_selector"),
    alternatives: text("alternatives", { mode: "json" }).$type<unknown[]>().notNull(),
    /** The best guess of an abstaining answer, for review (migrations/0015_heal_suggestions.sql). */
    suggestionIndex: integer("suggestion_index"),
    suggestionSelector: text("suggestion_selector"),
    suggestionConfidence: real("suggestion_confidence"),
    latencyMs: real("latency_ms").notNull(),
    modelVersion: text("model_version").notNull(),
    /** R2 key of the stored example (target + candidates, or the HTML) used for retraining. */
    exampleKey: text("example_key"),
    feedbackAccepted: integer("feedback_accepted", { mode: "boolean" }),
    feedbackCorrectIndex: integer("feedback_correct_index"),
    feedbackCorrectSelector: text("feedback_correct_selector"),
    feedbackAt: integer("feedback_at"),
    feedbackBy: text("feedback_by"),
    ...createdAt(),
  },
  (t) => [
    index("heal_attempts_org").on(t.orgId, t.id),
    index("heal_attempts_org_project").on(t.orgId, t.projectId, t.id),
    index("heal_attempts_org_feedback").on(t.orgId, t.feedbackAt),
  ],
);

/** Per-tenant model registry: every retraining records a version; one is active at a time. */
export const healingModels = sqliteTable(
  "healing_models",
  {
    ...orgRow(),
    version: integer("version").notNull(),
    status: text("status", { enum: ["active", "candidate", "rejected", "retired"] }).notNull(),
    model: text("model", { mode: "json" }).$type<HealingModel>().notNull(),
    metrics: text("metrics", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    trainingExamples: integer("training_examples").notNull(),
    holdoutExamples: integer("holdout_examples").notNull(),
    reason: text("reason"),
    ...createdAt(),
    activatedAt: integer("activated_at"),
  },
  (t) => [
    uniqueIndex("healing_models_org_version").on(t.orgId, t.version),
    index("healing_models_org_status").on(t.orgId, t.status),
  ],
);
