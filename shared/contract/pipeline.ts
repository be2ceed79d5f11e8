import { z } from "zod";
import { pageQuerySchema } from "../pagination.ts";
import { pageOf, timestamps } from "./common.ts";

/** The lead pipeline's request and response shapes (docs/pipeline.md). */

export const PERSONAS = [
  "developer",
  "qa_lead",
  "engineering_manager",
  "product_owner",
  "designer",
  "executive",
  "other",
] as const;
export type Persona = (typeof PERSONAS)[number];

export const LEAD_STATUSES = [
  "raw",
  "scored",
  "contacted",
  "engaged",
  "converted",
  "snoozed",
  "suppressed",
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const OUTREACH_EVENT_TYPES = ["opened", "replied", "converted", "bounced", "unsubscribed"] as const;
export type OutreachEventType = (typeof OUTREACH_EVENT_TYPES)[number];

export const EXPERIMENT_STATUSES = ["active", "paused", "stopped"] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

const attributeValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export const leadInputSchema = z
  .strictObject({
    externalId: z.string().min(1).max(200),
    email: z.email().max(320),
    name: z.string().max(200).optional(),
    company: z.string().max(200).optional(),
    title: z.string().max(200).optional(),
    source: z.string().max(100).optional(),
    attributes: z
      .record(z.string().max(64), attributeValue)
      .refine((a) => Object.keys(a).length <= 50, { error: "at most 50 attributes" })
      .optional()
      .describe("Behaviour signals, e.g. pageViews, pricingVisits, trialSignup, employees"),
  })
  .meta({ id: "LeadInput" });
export type LeadInput = z.infer<typeof leadInputSchema>;

export const MAX_LEADS_PER_CALL = 500;

export const ingestLeadsSchema = z
  .strictObject({ leads: z.array(leadInputSchema).min(1).max(MAX_LEADS_PER_CALL) })
  .meta({ id: "IngestLeads" });

export const ingestResultSchema = z
  .object({ accepted: z.number().int(), duplicates: z.number().int() })
  .meta({ id: "IngestLeadsResult" });
export type IngestResult = z.infer<typeof ingestResultSchema>;

export const leadSchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    company: z.string().nullable(),
    title: z.string().nullable(),
    source: z.string().nullable(),
    attributes: z.record(z.string(), attributeValue),
    status: z.enum(LEAD_STATUSES),
    score: z.number().int().nullable(),
    persona: z.enum(PERSONAS).nullable(),
    reasons: z.array(z.string()),
    experimentId: z.string().nullable(),
    variantKey: z.string().nullable(),
    snoozedUntil: z.number().int().nullable(),
    deadAt: z.number().int().nullable(),
    createdAt: z.number().int(),
    scoredAt: z.number().int().nullable(),
    contactedAt: z.number().int().nullable(),
    engagedAt: z.number().int().nullable(),
    convertedAt: z.number().int().nullable(),
    updatedAt: z.number().int(),
  })
  .meta({ id: "Lead" });
export type Lead = z.infer<typeof leadSchema>;

export const leadEventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    data: z.record(z.string(), z.unknown()).nullable(),
    at: z.number().int(),
  })
  .meta({ id: "LeadEvent" });
export type LeadEvent = z.infer<typeof leadEventSchema>;

export const leadDetailSchema = leadSchema
  .extend({ events: z.array(leadEventSchema) })
  .meta({ id: "LeadDetail" });
export type LeadDetail = z.infer<typeof leadDetailSchema>;

export const leadListQuerySchema = pageQuerySchema.extend({
  status: z.enum(LEAD_STATUSES).optional(),
  persona: z.enum(PERSONAS).optional(),
  minScore: z.coerce.number().int().min(0).max(100).optional(),
});
export type LeadListQuery = z.infer<typeof leadListQuerySchema>;

export const leadPageSchema = pageOf(leadSchema).meta({ id: "LeadPage" });

export const snoozeSchema = z
  .strictObject({ until: z.iso.datetime({ offset: true }).or(z.number().int().positive()) })
  .meta({ id: "SnoozeLead" });
export const forceOutreachSchema = z
  .strictObject({ variantKey: z.string().min(1).max(64).optional() })
  .meta({ id: "ForceOutreach" });

export const variantInputSchema = z.strictObject({
  key: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, { error: "letters, digits, _ and -" }),
  subject: z.string().min(1).max(300),
  body: z.string().min(1).max(10_000),
});

export const createExperimentSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    variants: z
      .array(variantInputSchema)
      .min(2)
      .max(10)
      .refine((v) => new Set(v.map((x) => x.key)).size === v.length, {
        error: "variant keys must be unique",
      }),
    personas: z.array(z.enum(PERSONAS)).min(1).max(PERSONAS.length).optional(),
    perPersona: z
      .boolean()
      .optional()
      .describe("Learn a separate posterior per persona (default false: one posterior per variant)"),
  })
  .meta({ id: "CreateExperiment" });
export type CreateExperimentInput = z.infer<typeof createExperimentSchema>;

export const variantStatsSchema = z
  .object({
    key: z.string(),
    subject: z.string(),
    body: z.string(),
    sends: z.number().int(),
    conversions: z.number().int(),
    alpha: z.number(),
    beta: z.number(),
    probabilityBest: z.number(),
  })
  .meta({ id: "ExperimentVariant" });
export type VariantStats = z.infer<typeof variantStatsSchema>;

export const experimentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(EXPERIMENT_STATUSES),
    personas: z.array(z.enum(PERSONAS)).nullable(),
    perPersona: z.boolean(),
    variants: z.array(variantStatsSchema),
    ...timestamps,
  })
  .meta({ id: "Experiment" });
export type Experiment = z.infer<typeof experimentSchema>;

export const experimentPageSchema = pageOf(experimentSchema).meta({ id: "ExperimentPage" });

/** `status=active`: the experiments outreach draws from now (several may run at once). */
export const experimentListQuery = pageQuerySchema.extend({ status: z.enum(EXPERIMENT_STATUSES).optional() });
export type ExperimentListQuery = z.infer<typeof experimentListQuery>;

export const createdSchema = z.object({ id: z.string() }).meta({ id: "ExperimentCreated" });

export const outreachEventInputSchema = z.strictObject({
  id: z.string().min(1).max(200),
  leadExternalId: z.string().min(1).max(200),
  type: z.enum(OUTREACH_EVENT_TYPES),
});
export type OutreachEventInput = z.infer<typeof outreachEventInputSchema>;

export const outreachEventsSchema = z
  .strictObject({ events: z.array(outreachEventInputSchema).min(1).max(MAX_LEADS_PER_CALL) })
  .meta({ id: "OutreachEvents" });
export const outreachAcceptedSchema = z
  .object({ accepted: z.number().int() })
  .meta({ id: "OutreachEventsAccepted" });

export const pipelineSettingsSchema = z
  .object({ threshold: z.number().int().min(0).max(100) })
  .meta({ id: "PipelineSettings" });
export type PipelineSettings = z.infer<typeof pipelineSettingsSchema>;
export const DEFAULT_THRESHOLD = 50;

/** The board: counts per status and the newest cards of each column. */
export const leadCardSchema = leadSchema
  .pick({ id: true, externalId: true, name: true, company: true, title: true, status: true, score: true })
  .extend({ persona: z.enum(PERSONAS).nullable(), variantKey: z.string().nullable(), updatedAt: z.number() })
  .meta({ id: "LeadCard" });
export type LeadCard = z.infer<typeof leadCardSchema>;

export const boardSnapshotSchema = z
  .object({
    counts: z.record(z.enum(LEAD_STATUSES), z.number().int()),
    cards: z.array(leadCardSchema),
  })
  .meta({ id: "PipelineBoardSnapshot" });
export type BoardSnapshot = z.infer<typeof boardSnapshotSchema>;

export const boardTokenSchema = z
  .object({ token: z.string(), expiresAt: z.number().int(), url: z.string() })
  .meta({ id: "PipelineBoardToken" });

/** A card that changed column (from → to). */
export type LeadFrame = { type: "lead"; card: LeadCard; from: LeadStatus | null };
/** What the board socket carries: moved cards, and experiments whose posteriors changed. */
export type BoardFrame = LeadFrame | { type: "experiment"; experimentId: string };
