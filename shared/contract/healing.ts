/**
 * The healing HTTP contract: request and response bodies of /v1/heal, its feedback, attempts and stats,
 * the model registry and the healed-locator review queue (docs/heal-api.md). The dashboard imports the
 * types from here; the component names (`.meta({ id })`) are those of the OpenAPI document.
 */
import { z } from "zod";
import {
  CandidatesHealRequestSchema,
  CandidatesHealResultSchema,
  DomHealRequestSchema,
  DomHealResultSchema,
  FeedbackRequestSchema,
  HEAL_LIMITS,
} from "../healing/schema.ts";
import type { HealingMetrics } from "../healing/training.ts";
import { timestamps } from "./common.ts";

// ---------------------------------------------------------------------------------------------- heal

export const healCandidatesRequestSchema = CandidatesHealRequestSchema.meta({ id: "HealCandidatesRequest" });
export const healDomRequestSchema = DomHealRequestSchema.meta({ id: "HealDomRequest" });
/** Either form; the candidates form is tried first (its `candidates` key tells them apart). */
export const healRequestSchema = z.union([healCandidatesRequestSchema, healDomRequestSchema]);

export const healCandidatesResultSchema = CandidatesHealResultSchema.extend({ attemptId: z.string() }).meta({
  id: "HealCandidatesResult",
});
export const healDomResultSchema = DomHealResultSchema.extend({ attemptId: z.string() }).meta({
  id: "HealDomResult",
});

export const healResultSchema = z.union([healCandidatesResultSchema, healDomResultSchema]);

export type HealCandidatesRequest = z.infer<typeof healCandidatesRequestSchema>;
export type HealDomRequest = z.infer<typeof healDomRequestSchema>;
export type HealRequest = z.infer<typeof healRequestSchema>;
export type HealCandidatesResult = z.infer<typeof healCandidatesResultSchema>;
export type HealDomResult = z.infer<typeof healDomResultSchema>;
export type HealResult = z.infer<typeof healResultSchema>;

// ------------------------------------------------------------------------------------------ feedback

export const healFeedbackRequestSchema = FeedbackRequestSchema;
export const healFeedbackSchema = z.object({
  attemptId: z.string(),
  accepted: z.boolean(),
  correctIndex: z.number().int().nullable(),
  correctSelector: z.string().nullable(),
});
export type HealFeedbackRequest = z.infer<typeof healFeedbackRequestSchema>;
export type HealFeedback = z.infer<typeof healFeedbackSchema>;

// ---------------------------------------------------------------------------------- attempts, stats

export const healAttemptSchema = z
  .object({
    id: z.string(),
    projectId: z.string().nullable(),
    form: z.enum(["candidates", "dom"]),
    selector: z.string().nullable(),
    healed: z.boolean(),
    confidence: z.number(),
    strategy: z.string(),
    resultIndex: z.number().int().nullable(),
    resultSelector: z.string().nullable(),
    candidateCount: z.number().int(),
    suggestion: z
      .object({ index: z.number().int().nullable(), selector: z.string().nullable(), confidence: z.number() })
      .nullable()
      .meta({
        description:
          "The best guess of an abstaining answer (index in the candidates form, selector in the DOM form); null when healed or when nothing was ranked.",
      }),
    latencyMs: z.number(),
    modelVersion: z.string(),
    feedback: z
      .object({
        accepted: z.boolean(),
        correctIndex: z.number().int().nullable(),
        correctSelector: z.string().nullable(),
        at: z.number().int(),
      })
      .nullable(),
    createdAt: z.number().int(),
  })
  .meta({ id: "HealAttempt" });

/** `suggested`: abstained with a suggestion that nobody has reviewed yet (the suggestion review queue). */
export const healOutcomeSchema = z.enum([
  "healed",
  "abstained",
  "accepted",
  "rejected",
  "unreviewed",
  "suggested",
]);
const projectFilter = z
  .string()
  .regex(/^prj_[0-9a-z]{26}$/)
  .optional();
const timeFilter = z.coerce.number().int().min(0).optional();

/** Narrows attempts and stats: a project, and a creation time window (ms, both ends included). */
export const healStatsFilterSchema = z.object({ projectId: projectFilter, from: timeFilter, to: timeFilter });
export const healAttemptFilterSchema = z.object({
  projectId: projectFilter,
  outcome: healOutcomeSchema.optional(),
  strategy: z.string().max(64).optional(),
  from: timeFilter,
  to: timeFilter,
});

export const healBucketSchema = z.object({
  key: z.string().nullable(),
  attempts: z.number().int(),
  healed: z.number().int(),
  healRate: z.number(),
  reviewed: z.number().int(),
  accepted: z.number().int(),
  acceptanceRate: z.number().nullable(),
  avgConfidence: z.number().nullable(),
});
export const healStatsSchema = z.object({
  overall: healBucketSchema,
  byStrategy: z.array(healBucketSchema),
  byProject: z.array(healBucketSchema),
});

export type HealAttempt = z.infer<typeof healAttemptSchema>;
export type HealOutcome = z.infer<typeof healOutcomeSchema>;
export type HealAttemptFilter = z.infer<typeof healAttemptFilterSchema>;
export type HealStatsFilter = z.infer<typeof healStatsFilterSchema>;
export type HealBucket = z.infer<typeof healBucketSchema>;
export type HealStats = z.infer<typeof healStatsSchema>;

// ---------------------------------------------------------------------------------- model registry

export const healingModelStatusSchema = z.enum(["active", "candidate", "rejected", "retired"]);

/** Held-out metrics of one model. */
export type HealingModelMetrics = HealingMetrics;

export const healingModelVersionSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: healingModelStatusSchema,
    metrics: z.record(z.string(), z.unknown()),
    trainingExamples: z.number().int(),
    holdoutExamples: z.number().int(),
    reason: z.string().nullable(),
    createdAt: z.number().int(),
    activatedAt: z.number().int().nullable(),
  })
  .meta({ id: "HealingModelVersion" });

/**
 * A version as the API returns it. `metrics` is documented as an open object; what retraining writes
 * there is the candidate's and the incumbent's held-out metrics and the incumbent's version.
 */
export type HealingModelVersion = Omit<z.infer<typeof healingModelVersionSchema>, "metrics"> & {
  metrics: { candidate?: HealingModelMetrics; incumbent?: HealingModelMetrics; incumbentVersion?: string };
};

export const retrainResultSchema = z
  .object({
    status: z.string(),
    reason: z.string().optional(),
    modelId: z.string().optional(),
    version: z.number().optional(),
    examples: z.number(),
  })
  .passthrough();
export type RetrainResult = z.infer<typeof retrainResultSchema>;

// ------------------------------------------------------------------ healed locators (review queue)

export const healStatusSchema = z.enum(["pending", "accepted", "rejected"]);

export const healedLocatorSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    status: healStatusSchema,
    autoAccepted: z.boolean(),
    testFile: z.string(),
    testTitle: z.string(),
    location: z.string().meta({ description: "file:line:column of the call that built the locator" }),
    originalSelector: z.string(),
    healedSelector: z.string(),
    healedLocator: z.string().nullable(),
    confidence: z.number(),
    attemptId: z.string(),
    runId: z.string().nullable(),
    occurrences: z.number().int(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.number().int().nullable(),
    reviewNote: z.string().nullable(),
    ...timestamps,
  })
  .meta({ id: "HealedLocator" });

const selector = z.string().trim().min(1).max(HEAL_LIMITS.maxSelectorLength);

export const recordHealSchema = z
  .strictObject({
    testFile: z.string().trim().min(1).max(1024),
    testTitle: z.string().trim().min(1).max(2048),
    /** `file:line:column` of the call that built the locator (what `shifty heals --fix` rewrites). */
    location: z
      .string()
      .trim()
      .max(1100)
      .regex(/^.+:\d{1,7}:\d{1,7}$/, { error: "location must be file:line:column" }),
    originalSelector: selector,
    healedSelector: selector,
    healedLocator: z
      .string()
      .trim()
      .min(1)
      .max(HEAL_LIMITS.maxSelectorLength + 100)
      .optional(),
    confidence: z.number().min(0).max(1),
    attemptId: z.string().regex(/^hea_[0-9a-z]{26}$/, { error: "attemptId must be a hea_… id" }),
    runId: z
      .string()
      .regex(/^run_[0-9a-z]{26}$/, { error: "runId must be a run_… id" })
      .optional(),
  })
  .meta({ id: "RecordHeal" });

/** The optional body of approve and reject. */
export const healReviewSchema = z.strictObject({
  note: z.string().trim().max(2000).optional(),
  /** On reject: the selector that was right, passed to the attempt's feedback for retraining. */
  correctSelector: selector.optional(),
});

/** The optional body of a suggestion's reject: the element that was right, if the reviewer knows it. */
export const suggestionReviewSchema = z.strictObject({ correctSelector: selector.optional() });
export type SuggestionReview = z.infer<typeof suggestionReviewSchema>;

export const healSettingsInputSchema = z.strictObject({
  autoAcceptThreshold: z.number().min(0).max(1),
});
export const healSettingsSchema = z
  .object({ projectId: z.string(), autoAcceptThreshold: z.number(), updatedAt: z.number().int().nullable() })
  .meta({ id: "HealSettings" });

export type HealStatus = z.infer<typeof healStatusSchema>;
export type HealedLocator = z.infer<typeof healedLocatorSchema>;
export type RecordHeal = z.infer<typeof recordHealSchema>;
export type HealReview = z.infer<typeof healReviewSchema>;
export type HealSettingsInput = z.infer<typeof healSettingsInputSchema>;
export type HealSettings = z.infer<typeof healSettingsSchema>;

// The review's view of a heal (docs/heal-review.md)

export const healElementContextSchema = z.object({
  element: z.string().describe("The element's own HTML (capped at 2000 characters)"),
  around: z.string().describe("Its parent's HTML, the element in context (capped at 2000 characters)"),
});
export type HealElementContext = z.infer<typeof healElementContextSchema>;

export const healContextSchema = z
  .object({
    form: z.enum(["dom", "candidates"]).nullable().describe("null when the heal's input is no longer kept"),
    old: healElementContextSchema.nullable().describe("The broken locator's element before the change"),
    new: healElementContextSchema.nullable().describe("The element the heal points at now"),
    screenshot: z.null().describe("Heals carry no screenshot today; always null"),
  })
  .meta({ id: "HealContext" });
export type HealContext = z.infer<typeof healContextSchema>;
