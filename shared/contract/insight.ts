import { z } from "zod";

/** Insight API shapes (docs/insight.md): the DORA four keys and the repository → project mapping. */

const DAY_MS = 86_400_000;
/** The longest window one request may ask for: a year and a day (leap years). */
export const MAX_WINDOW_MS = 366 * DAY_MS;
export const DEFAULT_WINDOW_MS = 28 * DAY_MS;

export const insightWindowQuerySchema = z
  .object({
    from: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe("Window start, epoch ms (default: to − 28 days)"),
    to: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .describe("Window end, epoch ms, exclusive (default: now)"),
  })
  .meta({ id: "InsightWindowQuery" });
export type InsightWindowQuery = z.infer<typeof insightWindowQuerySchema>;

export const DORA_BANDS = ["elite", "high", "medium", "low"] as const;
export type DoraBand = (typeof DORA_BANDS)[number];

/** The window a report covers, epoch ms (`to` exclusive): the query's, with its defaults applied. */
const reportWindow = { from: z.number().int(), to: z.number().int() };

export const doraPointSchema = z
  .object({
    weekStart: z.number().int().describe("Start of the 7-day bucket (epoch ms), counted from `from`"),
    value: z.number().nullable(),
    sampleSize: z.number().int(),
  })
  .meta({ id: "DoraPoint" });
export type DoraPoint = z.infer<typeof doraPointSchema>;

export const doraKeySchema = z
  .object({
    value: z.number().nullable(),
    unit: z.enum(["deployments_per_week", "hours", "ratio"]),
    band: z.enum(DORA_BANDS).nullable(),
    sampleSize: z.number().int(),
    series: z.array(doraPointSchema),
  })
  .meta({ id: "DoraKey" });
export type DoraKey = z.infer<typeof doraKeySchema>;

export const doraReportSchema = z
  .object({
    ...reportWindow,
    projectId: z.string().nullable(),
    deploymentFrequency: doraKeySchema,
    leadTimeForChanges: doraKeySchema,
    changeFailureRate: doraKeySchema,
    timeToRestore: doraKeySchema,
  })
  .meta({ id: "DoraReport" });
export type DoraReport = z.infer<typeof doraReportSchema>;

/** `owner/name`, as GitHub (full_name) and GitLab (path_with_namespace) send it. */
const repositoryName = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, "expected owner/name");

export const projectRepositoriesSchema = z
  .object({ repositories: z.array(repositoryName).max(100) })
  .meta({ id: "ProjectRepositories" });
export type ProjectRepositories = z.infer<typeof projectRepositoriesSchema>;

// ROI

export const roiAssumptionsSchema = z
  .object({
    minutesPerHeal: z.number().min(0).max(480).describe("Engineer minutes one accepted heal saves"),
    costPerCiMinute: z.number().min(0).max(100).describe("What one CI minute costs, in `currency`"),
    currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code"),
  })
  .meta({ id: "RoiAssumptions" });
export type RoiAssumptions = z.infer<typeof roiAssumptionsSchema>;

export const roiAssumptionsStateSchema = roiAssumptionsSchema
  .extend({ source: z.enum(["default", "org"]), updatedAt: z.number().int().nullable() })
  .meta({ id: "RoiAssumptionsState" });
export type RoiAssumptionsState = z.infer<typeof roiAssumptionsStateSchema>;

export const roiReportSchema = z
  .object({
    ...reportWindow,
    projectId: z.string(),
    heals: z.object({
      accepted: z
        .number()
        .int()
        .describe("Healed locators accepted (by a person or auto-accept) in the window"),
      hoursSaved: z.number(),
      assumptions: roiAssumptionsSchema.pick({ minutesPerHeal: true }),
    }),
    quarantine: z.object({
      runsNotRerun: z.number().int().describe("Runs whose only failing tests were quarantined"),
      ciMinutesSaved: z.number(),
      costSaved: z.number(),
      assumptions: roiAssumptionsSchema.pick({ costPerCiMinute: true, currency: true }),
    }),
    ci: z.object({
      runs: z.number().int(),
      minutes: z.number(),
      cost: z.number(),
      assumptions: roiAssumptionsSchema.pick({ costPerCiMinute: true, currency: true }),
    }),
    findings: z.object({
      total: z.number().int().describe("Findings recorded in manual sessions of the project"),
      bySeverity: z.record(z.string(), z.number().int()),
    }),
    testsGeneratedKept: z.object({ value: z.literal(0), note: z.string() }),
    aiSpend: z.object({ value: z.literal(0), note: z.string() }),
  })
  .meta({ id: "RoiReport" });
export type RoiReport = z.infer<typeof roiReportSchema>;
