import { z } from "zod";
import { pageQuerySchema } from "../pagination.ts";
import { firstLastSeen, maskedSecret } from "./common.ts";

/**
 * The CI API's request and response shapes (docs/ci-api.md is the prose version; keep both in step).
 * Component names (`.meta({ id })`) are those of the OpenAPI document.
 */

const GATE_STATUSES = ["pass", "fail", "warn"] as const;
const RESULT_STATUSES = ["passed", "failed", "skipped", "flaky"] as const;
const PROVIDERS = ["github", "gitlab", "circleci", "jenkins", "buildkite", "azure", "other"] as const;

/** The commit and branch of a run (a result carries its run's), when the upload gave them. */
const commitRef = { commit: z.string().nullable(), branch: z.string().nullable() };

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
    ...commitRef,
    baseBranch: z.string().nullable(),
    pr: z.number().int().nullable(),
    provider: z.string().nullable(),
    runUrl: z.string().nullable(),
    buildId: z.string().nullable(),
    createdAt: z.number().int(),
    newFailures: z.number().int(),
    gate: z.object({ status: z.enum(GATE_STATUSES), reasons: z.array(gateReasonSchema) }),
    github: runGithubSchema,
    number: z.number().int().meta({ description: "Per project, from 1 in upload order (the run's #42)" }),
    referenceRunId: z.string().nullable().meta({
      description: "The run new failures were measured against; null when there was none (or not recorded)",
    }),
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
    ...commitRef,
    createdAt: z.number().int(),
    newFailure: z.boolean().meta({ description: "Failed here and not in the run's reference run" }),
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
    ...firstLastSeen,
    tags: z
      .array(z.string())
      .meta({ description: "Playwright tags and `tag` annotations of the latest report" }),
  })
  .meta({ id: "Test" });

const runRefSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  branch: z.string().nullable(),
  commit: z.string().nullable(),
  createdAt: z.number().int(),
});

/** A run's results beside the same tests in its reference run (the base branch's latest run). */
export const runComparisonSchema = z
  .object({
    runId: z.string(),
    reference: runRefSchema.nullable(),
    items: z.array(
      resultSchema.extend({
        testQuarantined: z.boolean().meta({ description: "Whether the test is quarantined now" }),
        base: z
          .object({ status: z.enum(RESULT_STATUSES), durationMs: z.number().int() })
          .nullable()
          .meta({ description: "The test's result in the reference run; null when it did not run there" }),
      }),
    ),
    truncated: z.boolean().meta({ description: "The run has more results than one comparison lists" }),
  })
  .meta({ id: "RunComparison" });

export const COMPARE_SORTS = ["status", "duration", "name"] as const;

export const compareQuerySchema = z.object({
  sort: z.enum(COMPARE_SORTS).default("status"),
});

const trendPointSchema = z.object({
  day: z.string().meta({ example: "2026-12-01" }),
  runs: z.number().int(),
  passRate: z.number().nullable(),
  durationP50: z.number().int().nullable(),
  durationP95: z.number().int().nullable(),
  flaky: z.number().int(),
  healed: z.number().int(),
  healRate: z.number().nullable(),
  latestRunId: z.string().nullable(),
});

export const trendsSchema = z
  .object({
    branch: z.string().nullable(),
    days: z.number().int(),
    points: z.array(trendPointSchema),
    slowest: z.array(
      z.object({
        testId: z.string(),
        name: z.string(),
        file: z.string().nullable(),
        suite: z.string(),
        results: z.number().int(),
        avgDurationMs: z.number().int(),
        maxDurationMs: z.number().int(),
      }),
    ),
    flakyTests: z.number().int().meta({ description: "Tests whose health is flaky now" }),
    runsCounted: z.number().int(),
  })
  .meta({ id: "CiTrends" });

export const trendsQuerySchema = z.object({
  branch: z.string().min(1).max(255).optional(),
  days: z.coerce.number().int().min(1).max(90).default(30),
});

/** What makes failures one cluster: the signature (a hash of the normalised error), its type and a sample message. */
export const failureSignature = {
  signature: z.string(),
  errorType: z.string().nullable(),
  sampleMessage: z.string(),
};

export const clusterSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    ...failureSignature,
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
    token: maskedSecret.meta({ example: "…a1b2" }),
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
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Part of the test's name" }),
  file: z.string().trim().min(1).max(200).optional().meta({ description: "Part of the test's file" }),
  tag: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "A tag the test carries (`smoke` matches `@smoke` too)" }),
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
export type RunComparison = z.infer<typeof runComparisonSchema>;
export type ComparedResult = RunComparison["items"][number];
export type CompareSort = (typeof COMPARE_SORTS)[number];
export type CiTrends = z.infer<typeof trendsSchema>;
export type TrendPoint = CiTrends["points"][number];
export type TrendsQuery = z.infer<typeof trendsQuerySchema>;
