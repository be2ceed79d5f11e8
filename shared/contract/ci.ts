import { z } from "zod";
import { pageQuerySchema } from "../pagination.ts";

/**
 * The CI API's request and response shapes (docs/ci-api.md is the prose version; keep both in step).
 * Component names (`.meta({ id })`) are those of the OpenAPI document.
 */

const GATE_STATUSES = ["pass", "fail", "warn"] as const;
const RESULT_STATUSES = ["passed", "failed", "skipped", "flaky"] as const;
const PROVIDERS = ["github", "gitlab", "circleci", "jenkins", "buildkite", "azure", "other"] as const;

export const gateReasonSchema = z
  .object({
    rule: z.enum(["minPassRate", "noNewFailures", "noBrokenTests", "maxHealsBeforeWarning"]),
    status: z.enum(GATE_STATUSES),
    message: z.string(),
  })
  .meta({ id: "GateReason" });

export const gateSchema = z
  .object({
    status: z.enum(GATE_STATUSES),
    reasons: z.array(gateReasonSchema),
    evaluatedAt: z.number().int(),
  })
  .meta({ id: "GateEvaluation" });

const runGithubSchema = z
  .object({
    state: z.enum(["pending", "reported", "failed"]),
    kind: z.enum(["check_run", "status"]).optional(),
    id: z.number().optional(),
    error: z.string().optional(),
    at: z.number().int().optional(),
  })
  .nullable()
  .meta({ description: "Reporting the gate back to GitHub; null when no integration or no commit" });

export const runSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    status: z.enum(["passed", "failed"]),
    format: z.enum(["junit", "playwright"]),
    total: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    flaky: z.number().int(),
    healed: z.number().int(),
    durationMs: z.number().int(),
    commit: z.string().nullable(),
    branch: z.string().nullable(),
    baseBranch: z.string().nullable(),
    pr: z.number().int().nullable(),
    provider: z.string().nullable(),
    runUrl: z.string().nullable(),
    buildId: z.string().nullable(),
    createdAt: z.number().int(),
    newFailures: z.number().int(),
    gate: z.object({ status: z.enum(GATE_STATUSES), reasons: z.array(gateReasonSchema) }),
    github: runGithubSchema,
  })
  .meta({ id: "Run" });

export const resultSchema = z
  .object({
    id: z.string(),
    runId: z.string(),
    testId: z.string(),
    name: z.string(),
    suite: z.string(),
    file: z.string().nullable(),
    status: z.enum(RESULT_STATUSES),
    durationMs: z.number().int(),
    retries: z.number().int(),
    healed: z.boolean(),
    quarantined: z.boolean(),
    message: z.string().nullable(),
    stack: z.string().nullable(),
    clusterId: z.string().nullable(),
    commit: z.string().nullable(),
    branch: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .meta({ id: "TestResult" });

export const testSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    name: z.string(),
    suite: z.string(),
    file: z.string().nullable(),
    status: z.enum(["healthy", "flaky", "broken"]),
    quarantined: z.boolean(),
    quarantineReason: z.enum(["manual", "auto"]).nullable(),
    quarantinedAt: z.number().int().nullable(),
    lastOutcome: z.string().nullable(),
    lastRunId: z.string().nullable(),
    consecutivePasses: z.number().int(),
    stats: z.object({
      sampleSize: z.number().int(),
      failures: z.number().int(),
      failureRate: z.number(),
      wilson: z.object({ low: z.number(), high: z.number() }),
      lastFlipAt: z.number().int().nullable(),
    }),
    firstSeenAt: z.number().int(),
    lastSeenAt: z.number().int(),
  })
  .meta({ id: "Test" });

export const clusterSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    signature: z.string(),
    errorType: z.string().nullable(),
    sampleMessage: z.string(),
    sampleStack: z.string().nullable(),
    count: z.number().int(),
    testsAffected: z.number().int(),
    firstSeen: z.object({ runId: z.string(), commit: z.string().nullable(), at: z.number().int() }),
    lastSeen: z.object({ runId: z.string(), at: z.number().int() }),
  })
  .meta({ id: "FailureCluster" });

const clusterTestSchema = z.object({
  id: z.string(),
  name: z.string(),
  suite: z.string(),
  file: z.string().nullable(),
  failures: z.number().int(),
});

/** A cluster plus its tests (an intersection, so the document shows it as FailureCluster + tests). */
export const clusterDetailSchema = z
  .intersection(clusterSchema, z.object({ tests: z.array(clusterTestSchema) }))
  .meta({ id: "FailureClusterDetail" });

export const gateRulesSchema = z
  .object({
    minPassRate: z.number().min(0).max(1).nullable(),
    noNewFailures: z.boolean(),
    noBrokenTests: z.boolean(),
    maxHealsBeforeWarning: z.number().int().min(0).nullable(),
    autoQuarantine: z.boolean(),
    releaseAfterPasses: z.number().int().min(1).max(1000).nullable(),
    updatedAt: z.number().int().nullable(),
  })
  .meta({ id: "GateRules" });

/** PUT replaces the rules; an omitted field takes its default (see docs/ci-api.md). */
export const putGateRulesSchema = z.strictObject({
  minPassRate: z.number().min(0).max(1).nullable().optional(),
  noNewFailures: z.boolean().optional(),
  noBrokenTests: z.boolean().optional(),
  maxHealsBeforeWarning: z.number().int().min(0).max(100_000).nullable().optional(),
  autoQuarantine: z.boolean().optional(),
  releaseAfterPasses: z.number().int().min(1).max(1000).nullable().optional(),
});

export const githubIntegrationSchema = z
  .object({
    owner: z.string(),
    repo: z.string(),
    token: z.string().meta({ description: "Masked: only the last 4 characters are shown", example: "…a1b2" }),
    updatedAt: z.number().int(),
  })
  .meta({ id: "GitHubIntegration" });

// GitHub's own limits: owner ≤ 39 chars (alphanumeric and single hyphens), repo ≤ 100 of [A-Za-z0-9._-].
export const putGithubIntegrationSchema = z.strictObject({
  token: z.string().trim().min(20).max(512).regex(/^\S+$/, { error: "token must not contain whitespace" }),
  owner: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, { error: "owner is not a GitHub user or org name" }),
  repo: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { error: "repo is not a GitHub repository name" }),
});

/** Git metadata of an upload, in the query string (the body is the report itself). */
export const uploadQuerySchema = z.object({
  commit: z
    .string()
    .regex(/^[0-9a-fA-F]{7,64}$/, { error: "commit must be a git SHA (7–64 hex characters)" })
    .transform((s) => s.toLowerCase())
    .optional(),
  branch: z.string().min(1).max(255).optional(),
  baseBranch: z.string().min(1).max(255).optional(),
  pr: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  provider: z.enum(PROVIDERS).optional(),
  runUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  buildId: z.string().min(1).max(200).optional(),
});

export const runsQuerySchema = pageQuerySchema.extend({
  branch: z.string().min(1).max(255).optional(),
  status: z.enum(["passed", "failed"]).optional(),
});

export const resultsQuerySchema = pageQuerySchema.extend({ status: z.enum(RESULT_STATUSES).optional() });

export const testsQuerySchema = pageQuerySchema.extend({
  status: z.enum(["healthy", "flaky", "broken", "quarantined"]).optional(),
});

export type GateStatus = (typeof GATE_STATUSES)[number];
export type ResultStatus = (typeof RESULT_STATUSES)[number];
export type GateReason = z.infer<typeof gateReasonSchema>;
export type GateEvaluation = z.infer<typeof gateSchema>;
export type Run = z.infer<typeof runSchema>;
export type RunGithub = z.infer<typeof runGithubSchema>;
export type TestResult = z.infer<typeof resultSchema>;
export type CiTest = z.infer<typeof testSchema>;
export type Cluster = z.infer<typeof clusterSchema>;
export type ClusterDetail = z.infer<typeof clusterDetailSchema>;
export type GateRules = z.infer<typeof gateRulesSchema>;
export type PutGateRules = z.infer<typeof putGateRulesSchema>;
export type GithubIntegration = z.infer<typeof githubIntegrationSchema>;
export type PutGithubIntegration = z.infer<typeof putGithubIntegrationSchema>;
export type UploadQuery = z.infer<typeof uploadQuerySchema>;
export type RunsQuery = z.infer<typeof runsQuerySchema>;
export type ResultsQuery = z.infer<typeof resultsQuerySchema>;
export type TestsQuery = z.infer<typeof testsQuerySchema>;
