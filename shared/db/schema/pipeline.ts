import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  EXPERIMENT_STATUSES,
  LEAD_STATUSES,
  OUTREACH_EVENT_TYPES,
  PERSONAS,
  type Persona,
} from "../../contract/pipeline.ts";
import { createdAt, orgRow, timestamps } from "./columns.ts";

/** The lead pipeline (docs/pipeline.md): leads, their timeline, experiments and their arms. */

export type AttributeValue = string | number | boolean | null;

export const leads = sqliteTable(
  "leads",
  {
    ...orgRow(),
    externalId: text("external_id").notNull(),
    email: text("email").notNull(),
    name: text("name"),
    company: text("company"),
    title: text("title"),
    source: text("source"),
    attributes: text("attributes", { mode: "json" }).$type<Record<string, AttributeValue>>().notNull(),
    status: text("status", { enum: LEAD_STATUSES }).notNull(),
    score: integer("score"),
    persona: text("persona", { enum: PERSONAS }),
    reasons: text("reasons", { mode: "json" }).$type<string[]>().notNull(),
    experimentId: text("experiment_id"),
    variantKey: text("variant_key"),
    /** The posterior segment the send was counted in (`*` or a persona), so a conversion hits the same arm. */
    segment: text("segment"),
    snoozedUntil: integer("snoozed_until"),
    deadAt: integer("dead_at"),
    ...createdAt(),
    scoredAt: integer("scored_at"),
    contactedAt: integer("contacted_at"),
    engagedAt: integer("engaged_at"),
    convertedAt: integer("converted_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("leads_external").on(t.orgId, t.externalId),
    index("leads_org").on(t.orgId, t.id),
    index("leads_org_status").on(t.orgId, t.status, t.id),
  ],
);

export const leadEvents = sqliteTable(
  "lead_events",
  {
    ...orgRow(),
    leadId: text("lead_id").notNull(),
    type: text("type").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>(),
    at: integer("at").notNull(),
  },
  (t) => [index("lead_events_lead").on(t.orgId, t.leadId, t.at)],
);

export type ExperimentVariant = { key: string; subject: string; body: string };

export const experiments = sqliteTable(
  "experiments",
  {
    ...orgRow(),
    name: text("name").notNull(),
    status: text("status", { enum: EXPERIMENT_STATUSES }).notNull(),
    variants: text("variants", { mode: "json" }).$type<ExperimentVariant[]>().notNull(),
    personas: text("personas", { mode: "json" }).$type<Persona[]>(),
    perPersona: integer("per_persona", { mode: "boolean" }).notNull(),
    ...timestamps(),
  },
  (t) => [index("experiments_org").on(t.orgId, t.id)],
);

/** Beta–Bernoulli counts per (experiment, variant, segment); segment is `*` or a persona. */
export const experimentArms = sqliteTable(
  "experiment_arms",
  {
    orgId: text("org_id").notNull(),
    experimentId: text("experiment_id").notNull(),
    variantKey: text("variant_key").notNull(),
    segment: text("segment").notNull(),
    sends: integer("sends").notNull().default(0),
    conversions: integer("conversions").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.variantKey, t.segment] })],
);

/** Engagement events as received; the primary key makes each event id apply at most once per org. */
export const outreachEvents = sqliteTable(
  "outreach_events",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    leadId: text("lead_id"),
    leadExternalId: text("lead_external_id").notNull(),
    type: text("type", { enum: OUTREACH_EVENT_TYPES }).notNull(),
    /** applied | unknown_lead | dead */
    outcome: text("outcome").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const pipelineSettings = sqliteTable("pipeline_settings", {
  orgId: text("org_id").primaryKey(),
  threshold: integer("threshold").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
