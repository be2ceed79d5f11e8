import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { GateReason } from "../../ci/gate.ts";
import { commitRef, createdAt, projectRow, projectSettingsRow } from "./columns.ts";

/** One uploaded report (a CI job's test run). Gate verdict and GitHub outcome are stored with it. */
export const ciRuns = sqliteTable(
  "ci_runs",
  {
    ...projectRow(),
    status: text("status", { enum: ["passed", "failed"] }).notNull(),
    format: text("format", { enum: ["junit", "playwright"] }).notNull(),
    total: integer("total").notNull(),
    passed: integer("passed").notNull(),
    failed: integer("failed").notNull(),
    skipped: integer("skipped").notNull(),
    flaky: integer("flaky").notNull(),
    healed: integer("healed").notNull(),
    durationMs: integer("duration_ms").notNull(),
    ...commitRef(),
    baseBranch: text("base_branch"),
    pr: integer("pr"),
    provider: text("provider"),
    runUrl: text("run_url"),
    buildId: text("build_id"),
    /** SHA-256 of the uploaded bytes: with provider + buildId, the idempotency key. */
    reportHash: text("report_hash").notNull(),
    newFailures: integer("new_failures").notNull(),
    gateStatus: text("gate_status", { enum: ["pass", "fail", "warn"] }).notNull(),
    gateReasons: text("gate_reasons", { mode: "json" }).$type<GateReason[]>().notNull(),
    gateEvaluatedAt: integer("gate_evaluated_at").notNull(),
    /** Outcome of reporting back to GitHub: {state, kind?, id?, error?, at}. */
    github: text("github", { mode: "json" }).$type<Record<string, unknown>>(),
    /** Per project, from 1 in upload order: the run's "#42". */
    number: integer("number").notNull(),
    /** The run "new failures" were measured against (null: none, or uploaded before it was recorded). */
    referenceRunId: text("reference_run_id"),
    ...createdAt(),
  },
  (t) => [
    uniqueIndex("ci_runs_number").on(t.orgId, t.projectId, t.number),
    index("ci_runs_project").on(t.orgId, t.projectId, t.id),
    index("ci_runs_branch").on(t.orgId, t.projectId, t.branch, t.id),
    index("ci_runs_created").on(t.createdAt),
    uniqueIndex("ci_runs_build").on(t.orgId, t.projectId, t.provider, t.buildId, t.reportHash),
  ],
);

/** A distinct test of a project, keyed by (file or suite, name), with its denormalised flaky stats. */
export const ciTests = sqliteTable(
  "ci_tests",
  {
    ...projectRow(),
    key: text("key").notNull(),
    file: text("file"),
    suite: text("suite").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: ["healthy", "flaky", "broken"] }).notNull(),
    quarantined: integer("quarantined", { mode: "boolean" }).notNull(),
    quarantineReason: text("quarantine_reason", { enum: ["manual", "auto"] }),
    quarantinedAt: integer("quarantined_at"),
    /** Encoded recent outcomes (shared/ci/flaky.ts). */
    recent: text("recent").notNull(),
    lastCommit: text("last_commit"),
    lastCommitOutcomes: integer("last_commit_outcomes").notNull(),
    consecutivePasses: integer("consecutive_passes").notNull(),
    consecutiveFailures: integer("consecutive_failures").notNull(),
    sampleSize: integer("sample_size").notNull(),
    failures: integer("failures").notNull(),
    failureRate: real("failure_rate").notNull(),
    wilsonLow: real("wilson_low").notNull(),
    wilsonHigh: real("wilson_high").notNull(),
    lastFlipAt: integer("last_flip_at"),
    lastOutcome: text("last_outcome"),
    lastRunId: text("last_run_id"),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    statsAt: integer("stats_at").notNull(),
    /** Playwright tags and `tag` annotations of the latest report, as a JSON array of strings. */
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [
    uniqueIndex("ci_tests_key").on(t.orgId, t.projectId, t.key),
    index("ci_tests_status").on(t.orgId, t.projectId, t.status, t.id),
    index("ci_tests_stats_at").on(t.statsAt),
  ],
);

/** One test's outcome in one run. */
export const ciResults = sqliteTable(
  "ci_results",
  {
    ...projectRow(),
    runId: text("run_id").notNull(),
    testId: text("test_id").notNull(),
    status: text("status", { enum: ["passed", "failed", "skipped", "flaky"] }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    retries: integer("retries").notNull(),
    healed: integer("healed", { mode: "boolean" }).notNull(),
    quarantined: integer("quarantined", { mode: "boolean" }).notNull(),
    message: text("message"),
    stack: text("stack"),
    clusterId: text("cluster_id"),
    ...commitRef(),
    /** Failed here and not in the run's reference run, as the gate counted it at ingest. */
    newFailure: integer("new_failure", { mode: "boolean" }).notNull(),
    ...createdAt(),
  },
  (t) => [
    index("ci_results_run").on(t.orgId, t.runId, t.id),
    index("ci_results_test").on(t.orgId, t.testId, t.id),
    index("ci_results_cluster").on(t.clusterId, t.testId),
  ],
);

/** A failure signature seen in a project's runs. */
export const ciClusters = sqliteTable(
  "ci_clusters",
  {
    ...projectRow(),
    signature: text("signature").notNull(),
    errorType: text("error_type"),
    sampleMessage: text("sample_message").notNull(),
    sampleStack: text("sample_stack"),
    count: integer("count").notNull(),
    firstRunId: text("first_run_id").notNull(),
    firstCommit: text("first_commit"),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastRunId: text("last_run_id").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
  },
  (t) => [
    uniqueIndex("ci_clusters_signature").on(t.orgId, t.projectId, t.signature),
    index("ci_clusters_project").on(t.orgId, t.projectId, t.id),
  ],
);

/** Per-project gate rules and flaky/quarantine settings; no row = defaults. */
export const ciSettings = sqliteTable("ci_settings", {
  ...projectSettingsRow(),
  minPassRate: real("min_pass_rate"),
  noNewFailures: integer("no_new_failures", { mode: "boolean" }).notNull(),
  noBrokenTests: integer("no_broken_tests", { mode: "boolean" }).notNull(),
  maxHealsBeforeWarning: integer("max_heals_before_warning"),
  autoQuarantine: integer("auto_quarantine", { mode: "boolean" }).notNull(),
  releaseAfterPasses: integer("release_after_passes"),
  updatedAt: integer("updated_at").notNull(),
});

/** GitHub repository a project reports its gate to; the token is sealed with encryptSecret. */
export const ciGithub = sqliteTable("ci_github", {
  ...projectSettingsRow(),
  owner: text("owner").notNull(),
  repo: text("repo").notNull(),
  tokenSealed: text("token_sealed").notNull(),
  tokenHint: text("token_hint").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
