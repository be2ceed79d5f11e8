import { z } from "zod";
import { failureSignature } from "./ci.ts";
import { timestamps } from "./common.ts";

/** The AI workflows (docs/ai.md); the names are a contract with the dashboard and API clients. */
export const WORKFLOW_NAMES = ["pr_review", "deploy_monitor", "incident_jira", "failure_triage"] as const;
export const workflowNameSchema = z.enum(WORKFLOW_NAMES).meta({ id: "AiWorkflow" });
export type WorkflowName = z.infer<typeof workflowNameSchema>;
/**
 * Every kind of AI call the ledger records: the workflows, and the healing tie-breaker that a heal
 * the engine is unsure of may ask (docs/ai.md).
 */
export const AI_TASK_NAMES = [...WORKFLOW_NAMES, "heal_tiebreak"] as const;
export type AiTaskName = (typeof AI_TASK_NAMES)[number];

const usd = z.number().min(0).describe("US dollars");

export const aiSettingsSchema = z
  .object({
    monthlyTokenCap: z
      .number()
      .int()
      .nullable()
      .describe("Tokens in + out per calendar month (UTC); null: no cap"),
    monthlyCostCapUsd: usd.nullable().describe("List-price cost per calendar month; null: no cap"),
    notifyUrl: z
      .string()
      .nullable()
      .describe("Incoming-webhook URL (Slack/Teams shape) for workflow notifications"),
    deployWindowMinutes: z.number().int(),
    models: z.object({
      heavy: z.string().optional(),
      medium: z.string().optional(),
      light: z.string().optional(),
    }),
    healTiebreak: z
      .boolean()
      .describe("A heal the engine is unsure of asks the configured model to break the tie (docs/ai.md)"),
    updatedAt: z.number().int().nullable(),
  })
  .meta({ id: "AiSettings" });
export type AiSettings = z.infer<typeof aiSettingsSchema>;

const modelName = z.string().trim().min(1).max(200);

export const putAiSettingsSchema = z
  .strictObject({
    monthlyTokenCap: z.number().int().min(0).max(1e12).nullable().default(null),
    monthlyCostCapUsd: z.number().min(0).max(1e6).nullable().default(null),
    notifyUrl: z.url().max(2000).nullable().default(null),
    deployWindowMinutes: z.number().int().min(0).max(720).default(30),
    models: z
      .strictObject({
        heavy: modelName.optional(),
        medium: modelName.optional(),
        light: modelName.optional(),
      })
      .default({}),
    healTiebreak: z.boolean().default(false),
  })
  .meta({ id: "PutAiSettings" });
export type PutAiSettings = z.infer<typeof putAiSettingsSchema>;

export const aiUsageSchema = z
  .object({
    month: z.string().describe("YYYY-MM (UTC)"),
    calls: z.number().int(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: usd,
    monthlyTokenCap: z.number().int().nullable(),
    monthlyCostCapUsd: usd.nullable(),
    providers: z
      .array(z.object({ kind: z.string(), model: z.string() }))
      .describe("Configured, in call order"),
  })
  .meta({ id: "AiUsage" });
export type AiUsage = z.infer<typeof aiUsageSchema>;

export const aiLedgerEntrySchema = z
  .object({
    id: z.string(),
    workflow: z.string(),
    task: z.string(),
    prompt: z.string().describe("Template id@version"),
    provider: z.string(),
    model: z.string(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: usd,
    latencyMs: z.number().int(),
    outcome: z.enum(["ok", "failed"]),
    error: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .meta({ id: "AiLedgerEntry" });
export type AiLedgerEntry = z.infer<typeof aiLedgerEntrySchema>;

export const workflowRunSchema = z
  .object({
    id: z.string(),
    projectId: z.string().nullable(),
    workflow: workflowNameSchema,
    eventId: z.string(),
    subject: z.string(),
    status: z.enum(["queued", "running", "watching", "succeeded", "skipped", "failed"]),
    outcome: z.string().nullable(),
    targetUrl: z.string().nullable(),
    tokens: z.number().int(),
    costUsd: usd,
    attempts: z.number().int(),
    error: z.string().nullable(),
    ...timestamps,
  })
  .meta({ id: "AiWorkflowRun" });
export type WorkflowRun = z.infer<typeof workflowRunSchema>;

export const workflowRunsQuerySchema = z.object({
  workflow: workflowNameSchema.optional(),
  projectId: z
    .string()
    .regex(/^prj_[0-9a-z]{26}$/, { error: "projectId must be a prj_… id" })
    .optional(),
});

export const triageRequestSchema = z
  .strictObject({
    runId: z
      .string()
      .regex(/^run_[0-9a-z]{26}$/, { error: "runId must be a run_… id" })
      .optional()
      .describe("The CI run; default: the project's latest failed run"),
    ai: z.boolean().default(true).describe("Ask the configured model for an explanation (503 when none is)"),
  })
  .meta({ id: "TriageRequest" });

export const triageSchema = z
  .object({
    runId: z.string(),
    clusters: z.array(
      z.object({
        clusterId: z.string(),
        ...failureSignature,
        failures: z.number().int(),
        isNew: z.boolean(),
        explanation: z.string(),
        suggestion: z.string(),
      }),
    ),
    summary: z.string().nullable().describe("The model's explanation, when `ai` was asked"),
    prompt: z.string().nullable(),
    costUsd: usd,
  })
  .meta({ id: "Triage" });
export type Triage = z.infer<typeof triageSchema>;
