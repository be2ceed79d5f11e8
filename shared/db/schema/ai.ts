import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { WORKFLOW_NAMES, type WorkflowName } from "../../contract/ai.ts";
import { createdAt, orgRow, timestamps } from "./columns.ts";

/** Mirrors migrations/0014_ai.sql (docs/ai.md). */

/** Model names per task tier; a missing tier uses the provider's configured model. */
export type TierModels = { heavy?: string; medium?: string; light?: string };

/** One row per organisation; no row means no caps, no notifications and a 30-minute deploy window. */
export const aiSettings = sqliteTable("ai_settings", {
  orgId: text("org_id").primaryKey(),
  monthlyTokenCap: integer("monthly_token_cap"),
  /** Micro-dollars (1 USD = 1 000 000), so sums stay exact integers. */
  monthlyCostCapMicros: integer("monthly_cost_cap_micros"),
  notifyUrl: text("notify_url"),
  deployWindowMinutes: integer("deploy_window_minutes").notNull(),
  models: text("models", { mode: "json" }).$type<TierModels>().notNull(),
  /** Abstaining heals ask the model to break the tie (migrations/0027_heal_tiebreak.sql). */
  healTiebreak: integer("heal_tiebreak", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at").notNull(),
});

/** One row per provider call (or refused call), with what it cost. */
export const aiLedger = sqliteTable(
  "ai_ledger",
  {
    ...orgRow(),
    workflow: text("workflow").notNull(),
    task: text("task").notNull(),
    /** Template id and version, e.g. `pr_review@2`. */
    prompt: text("prompt").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    tokensIn: integer("tokens_in").notNull(),
    tokensOut: integer("tokens_out").notNull(),
    costMicros: integer("cost_micros").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    outcome: text("outcome", { enum: ["ok", "failed"] }).notNull(),
    error: text("error"),
    requestId: text("request_id"),
    ...createdAt(),
  },
  (t) => [index("ai_ledger_org_time").on(t.orgId, t.createdAt)],
);

export const WORKFLOWS = WORKFLOW_NAMES;
export type Workflow = WorkflowName;
export const WORKFLOW_STATUSES = ["queued", "running", "watching", "succeeded", "skipped", "failed"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** One workflow started by one round of one inbound event. */
export const aiWorkflowRuns = sqliteTable(
  "ai_workflow_runs",
  {
    ...orgRow(),
    projectId: text("project_id"),
    workflow: text("workflow", { enum: WORKFLOWS }).notNull(),
    eventId: text("event_id").notNull(),
    round: integer("round").notNull(),
    /** What the run is about: `owner/repo#12`, a deployment id, an incident's provider id. */
    subject: text("subject").notNull(),
    status: text("status", { enum: WORKFLOW_STATUSES }).notNull(),
    outcome: text("outcome"),
    /** Where the result went: the PR comment, the Jira issue. */
    targetUrl: text("target_url"),
    tokens: integer("tokens").notNull(),
    costMicros: integer("cost_micros").notNull(),
    attempts: integer("attempts").notNull(),
    error: text("error"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("ai_workflow_runs_event").on(t.orgId, t.workflow, t.eventId, t.round),
    index("ai_workflow_runs_org").on(t.orgId, t.id),
    index("ai_workflow_runs_stuck").on(t.status, t.updatedAt),
  ],
);

/** The Jira issue an incident opened: inserted before the issue is created, so a second run skips. */
export const aiIncidentIssues = sqliteTable(
  "ai_incident_issues",
  {
    orgId: text("org_id").notNull(),
    subject: text("subject").notNull(),
    issueKey: text("issue_key"),
    issueUrl: text("issue_url"),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.subject] })],
);
