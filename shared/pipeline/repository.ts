import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { batchable } from "../ci/batchable.ts";
import {
  DEFAULT_THRESHOLD,
  type LeadInput,
  type LeadListQuery,
  type LeadStatus,
} from "../contract/pipeline.ts";
import type { Db } from "../db/client.ts";
import { inJson } from "../db/in-json.ts";
import { pageInOrg } from "../db/org-scoped.ts";
import { experimentArms, experiments, leadEvents, leads, pipelineSettings } from "../db/schema/pipeline.ts";
import { newId } from "../ids.ts";
import type { LeadRow } from "./rows.ts";

export type Statement = BatchItem<"sqlite">;
export type ExperimentRow = typeof experiments.$inferSelect;

/**
 * Inserts the leads new to the org; returns the ids created (duplicates by externalId are skipped).
 * One statement whatever the batch size: the rows travel as one JSON parameter and are unpacked with
 * json_each, because D1 binds at most 100 parameters per statement and a statement per few rows made
 * a 500-lead call hundreds of round trips.
 */
export async function insertNewLeads(
  db: Db,
  orgId: string,
  input: LeadInput[],
  now: number,
): Promise<string[]> {
  if (input.length === 0) return [];
  const rows = JSON.stringify(
    input.map((lead) => ({
      id: newId("lead", now),
      externalId: lead.externalId,
      email: lead.email,
      name: lead.name ?? null,
      company: lead.company ?? null,
      title: lead.title ?? null,
      source: lead.source ?? null,
      attributes: lead.attributes ?? {},
    })),
  );
  const created = await db.all<{ id: string }>(sql`
    INSERT INTO leads (id, org_id, external_id, email, name, company, title, source, attributes, status,
      reasons, created_at, updated_at)
    SELECT json_extract(value, '$.id'), ${orgId}, json_extract(value, '$.externalId'),
      json_extract(value, '$.email'), json_extract(value, '$.name'), json_extract(value, '$.company'),
      json_extract(value, '$.title'), json_extract(value, '$.source'), json_extract(value, '$.attributes'),
      'raw', '[]', ${now}, ${now}
    FROM json_each(${rows}) WHERE true
    ON CONFLICT (org_id, external_id) DO NOTHING
    RETURNING id`);
  return created.map((r) => r.id);
}

/** `a, b, c` as bound parameters, for `IN (…)`. */
const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * In the multi-row statements below, the unary `+` on `leads.org_id` and `leads.status` keeps SQLite
 * from driving the join from the (org, status) index (every raw lead of the org, each scanning the
 * whole JSON list: 26 s for 1,000 rows against 10,000 raw leads) instead of from the list, with one
 * primary-key lookup per row (45 ms).
 *
 * Scores for many leads in two statements (their timeline rows, then the moves), each guarded by the
 * lead still being raw, so a repeated batch changes nothing. Run them in one `db.batch` (one
 * transaction, one round trip): the timeline rows join on the lead still being raw, so they go first.
 */
export function scoreStatements(
  db: Db,
  orgId: string,
  scored: { id: string; score: number; persona: string; reasons: string[] }[],
  now: number,
): [Statement, Statement] {
  const rows = JSON.stringify(scored.map((s) => ({ ...s, eventId: newId("lev", now) })));
  return [
    batchable(
      db,
      sql`
      INSERT INTO lead_events (id, org_id, lead_id, type, data, at)
      SELECT json_extract(j.value, '$.eventId'), ${orgId}, json_extract(j.value, '$.id'), 'scored',
        json_object('score', json_extract(j.value, '$.score'), 'persona', json_extract(j.value, '$.persona')), ${now}
      FROM json_each(${rows}) AS j
      JOIN leads ON leads.id = json_extract(j.value, '$.id') AND +leads.org_id = ${orgId} AND +leads.status = 'raw'`,
    ),
    batchable(
      db,
      sql`
      UPDATE leads SET status = 'scored', score = json_extract(j.value, '$.score'),
        persona = json_extract(j.value, '$.persona'), reasons = json_extract(j.value, '$.reasons'),
        scored_at = ${now}, updated_at = ${now}
      FROM json_each(${rows}) AS j
      WHERE leads.id = json_extract(j.value, '$.id') AND +leads.org_id = ${orgId} AND +leads.status = 'raw'`,
    ),
  ];
}

/** One lead's outreach as recorded: the arm its send counts in and its "contacted" timeline data. */
export type ContactRow = {
  id: string;
  experimentId: string;
  variantKey: string;
  segment: string;
  data: Record<string, unknown>;
};

/**
 * Records many contacts in three statements whatever their number (rows as one JSON parameter, as in
 * insertNewLeads): the arms' `sends` grow by the number of their leads still in `from`, those leads
 * get their "contacted" timeline row, then they move to contacted. Each statement joins on the lead
 * still being in `from`, and the move goes last, so the same rows applied twice count each send once.
 * Run them in one `db.batch`, after ensureArms for every (experiment, segment) they touch.
 */
export function contactStatements(
  db: Db,
  orgId: string,
  contacts: ContactRow[],
  from: LeadStatus[],
  now: number,
): [Statement, Statement, Statement] {
  const rows = JSON.stringify(contacts.map((c) => ({ ...c, eventId: newId("lev", now) })));
  const waiting = sql`leads.id = json_extract(j.value, '$.id') AND +leads.org_id = ${orgId}
    AND +leads.status IN (${list(from)})`;
  return [
    batchable(
      db,
      sql`
      UPDATE experiment_arms SET sends = sends + (
        SELECT count(*) FROM json_each(${rows}) AS j JOIN leads ON ${waiting}
        WHERE json_extract(j.value, '$.experimentId') = experiment_arms.experiment_id
          AND json_extract(j.value, '$.variantKey') = experiment_arms.variant_key
          AND json_extract(j.value, '$.segment') = experiment_arms.segment)
      WHERE org_id = ${orgId}
        AND experiment_id IN (SELECT json_extract(value, '$.experimentId') FROM json_each(${rows}))`,
    ),
    batchable(
      db,
      sql`
      INSERT INTO lead_events (id, org_id, lead_id, type, data, at)
      SELECT json_extract(j.value, '$.eventId'), ${orgId}, leads.id, 'contacted',
        json_extract(j.value, '$.data'), ${now}
      FROM json_each(${rows}) AS j JOIN leads ON ${waiting}`,
    ),
    batchable(
      db,
      sql`
      UPDATE leads SET status = 'contacted', experiment_id = json_extract(j.value, '$.experimentId'),
        variant_key = json_extract(j.value, '$.variantKey'), segment = json_extract(j.value, '$.segment'),
        snoozed_until = NULL, contacted_at = ${now}, updated_at = ${now}
      FROM json_each(${rows}) AS j
      WHERE ${waiting}`,
    ),
  ];
}

/** Leads of the org still waiting for a stage, by external id (a retried POST re-publishes them). */
export async function stuckRawLeads(db: Db, orgId: string, externalIds: string[]): Promise<string[]> {
  const rows = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.orgId, orgId), inJson(leads.externalId, externalIds), eq(leads.status, "raw")));
  return rows.map((r) => r.id);
}

/** The org's leads among `ids`, in one query whatever their number. */
export async function leadsByIds(db: Db, orgId: string, ids: string[]): Promise<LeadRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(leads)
    .where(and(eq(leads.orgId, orgId), inJson(leads.id, ids)));
}

export async function leadByExternalId(db: Db, orgId: string, externalId: string): Promise<LeadRow | null> {
  const [row] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.orgId, orgId), eq(leads.externalId, externalId)))
    .limit(1);
  return row ?? null;
}

export async function pageLeads(db: Db, orgId: string, q: LeadListQuery) {
  return pageInOrg(
    db,
    leads,
    orgId,
    q,
    q.status ? eq(leads.status, q.status) : undefined,
    q.persona ? eq(leads.persona, q.persona) : undefined,
    q.minScore !== undefined ? gte(leads.score, q.minScore) : undefined,
  );
}

export async function eventsOfLead(db: Db, orgId: string, leadId: string) {
  return db
    .select({ id: leadEvents.id, type: leadEvents.type, data: leadEvents.data, at: leadEvents.at })
    .from(leadEvents)
    .where(and(eq(leadEvents.orgId, orgId), eq(leadEvents.leadId, leadId)))
    .orderBy(leadEvents.at, leadEvents.id);
}

export function leadEvent(
  db: Db,
  orgId: string,
  leadId: string,
  type: string,
  at: number,
  data: Record<string, unknown> | null = null,
) {
  return db.insert(leadEvents).values({ id: newId("lev", at), orgId, leadId, type, data, at });
}

/** A status change that only happens when the lead is still in one of `from` (safe to run twice). */
export function moveLead(db: Db, lead: LeadRow, from: LeadStatus[], set: Partial<LeadRow>) {
  return db
    .update(leads)
    .set(set)
    .where(and(eq(leads.orgId, lead.orgId), eq(leads.id, lead.id), inArray(leads.status, from)));
}

export async function thresholdOf(db: Db, orgId: string): Promise<number> {
  const [row] = await db
    .select({ threshold: pipelineSettings.threshold })
    .from(pipelineSettings)
    .where(eq(pipelineSettings.orgId, orgId))
    .limit(1);
  return row?.threshold ?? DEFAULT_THRESHOLD;
}

export async function activeExperiments(db: Db, orgId: string): Promise<ExperimentRow[]> {
  return db
    .select()
    .from(experiments)
    .where(and(eq(experiments.orgId, orgId), eq(experiments.status, "active")))
    .orderBy(desc(experiments.id));
}

export type ArmRow = typeof experimentArms.$inferSelect;

export async function armsOf(db: Db, experimentId: string, segment?: string): Promise<ArmRow[]> {
  return db
    .select()
    .from(experimentArms)
    .where(
      and(
        eq(experimentArms.experimentId, experimentId),
        segment === undefined ? undefined : eq(experimentArms.segment, segment),
      ),
    );
}

/** The segment's arms as they start: one per variant, no sends and no conversions yet. */
export function freshArms(experiment: ExperimentRow, segment: string): ArmRow[] {
  return experiment.variants.map((v) => ({
    orgId: experiment.orgId,
    experimentId: experiment.id,
    variantKey: v.key,
    segment,
    sends: 0,
    conversions: 0,
  }));
}

/** Creates the segment's arms when missing (a persona seen for the first time). */
export function ensureArms(db: Db, experiment: ExperimentRow, segment: string) {
  return db.insert(experimentArms).values(freshArms(experiment, segment)).onConflictDoNothing();
}

/** `column + 1` on one arm, only while the lead is in `leadStatus` (so a repeated batch counts once). */
export function bumpArm(
  db: Db,
  arm: { experimentId: string; variantKey: string; segment: string },
  column: "sends" | "conversions",
  leadId: string,
  leadStatuses: LeadStatus[],
) {
  const target = column === "sends" ? experimentArms.sends : experimentArms.conversions;
  return db
    .update(experimentArms)
    .set({ [column]: sql`${target} + 1` })
    .where(
      and(
        eq(experimentArms.experimentId, arm.experimentId),
        eq(experimentArms.variantKey, arm.variantKey),
        eq(experimentArms.segment, arm.segment),
        sql`exists (select 1 from leads where leads.id = ${leadId} and leads.status in (${list(leadStatuses)}))`,
      ),
    );
}
