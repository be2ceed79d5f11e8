import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.ts";

/**
 * Insight (docs/insight.md): a repository belongs to at most one project per organisation, so records
 * from organisation-wide sources (no project on the source) are attributed by their repository.
 */
export const projectRepositories = sqliteTable(
  "project_repositories",
  {
    orgId: text("org_id").notNull(),
    /** `owner/name` as the provider sends it (GitHub full_name, GitLab path_with_namespace). */
    repository: text("repository").notNull(),
    projectId: text("project_id").notNull(),
    ...createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.repository] }),
    index("project_repositories_project").on(t.orgId, t.projectId),
  ],
);

/** ROI assumptions per organisation (shared/insight/roi.ts has the defaults). */
export const insightAssumptions = sqliteTable("insight_assumptions", {
  orgId: text("org_id").primaryKey(),
  minutesPerHeal: real("minutes_per_heal").notNull(),
  costPerCiMinute: real("cost_per_ci_minute").notNull(),
  currency: text("currency").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** DORA facts per hour (migrations/0016_insight_rollups.sql); `scope` is a project id or `*` (org). */
export const insightDoraHourly = sqliteTable(
  "insight_dora_hourly",
  {
    orgId: text("org_id").notNull(),
    scope: text("scope").notNull(),
    hour: integer("hour").notNull(),
    deploysOk: integer("deploys_ok").notNull(),
    deploysFinished: integer("deploys_finished").notNull(),
    deploysFailed: integer("deploys_failed").notNull(),
    /** Lead times (hours) of the changes first deployed in this hour. */
    leadHours: text("lead_hours", { mode: "json" }).$type<number[]>().notNull(),
    /** Restore times (hours) of the incidents opened in this hour. */
    restoreHours: text("restore_hours", { mode: "json" }).$type<number[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.scope, t.hour] })],
);

/** CI, heal and finding figures per project and hour. */
export const insightCiHourly = sqliteTable(
  "insight_ci_hourly",
  {
    orgId: text("org_id").notNull(),
    projectId: text("project_id").notNull(),
    hour: integer("hour").notNull(),
    runs: integer("runs").notNull().default(0),
    runsFailed: integer("runs_failed").notNull().default(0),
    runMs: integer("run_ms").notNull().default(0),
    testsPassed: integer("tests_passed").notNull().default(0),
    testsFailed: integer("tests_failed").notNull().default(0),
    testsFlaky: integer("tests_flaky").notNull().default(0),
    savedRuns: integer("saved_runs").notNull().default(0),
    savedMs: integer("saved_ms").notNull().default(0),
    healsAccepted: integer("heals_accepted").notNull().default(0),
    findings: text("findings", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.projectId, t.hour] })],
);

export const insightRollupState = sqliteTable("insight_rollup_state", {
  orgId: text("org_id").primaryKey(),
  /** Receipt time (`updated_at`) up to which deployment, change and incident records are rolled up. */
  doraWatermark: integer("dora_watermark").notNull(),
  /** The same for CI runs, heal decisions and findings. */
  ciWatermark: integer("ci_watermark").notNull(),
  generation: integer("generation").notNull(),
  rolledUpAt: integer("rolled_up_at").notNull(),
});
