import type { AuditContext } from "../audit/repository.ts";
import { auditedBatch } from "../audit/repository.ts";
import type { IngestResult, LeadDetail, LeadInput, LeadListQuery, LeadStatus } from "../contract/pipeline.ts";
import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { leads } from "../db/schema/pipeline.ts";
import { ApiError } from "../errors.ts";
import { mapPage } from "../pagination.ts";
import { leadMessages, type RawMessage } from "./messages.ts";
import { eventsOfLead, insertNewLeads, leadEvent, moveLead, pageLeads, stuckRawLeads } from "./repository.ts";
import { frameOf, type LeadRow, toLead } from "./rows.ts";

export type IngestDeps = { db: Db; now: () => number; publishRaw: (messages: RawMessage[]) => Promise<void> };

/**
 * Stores the leads new to the org (idempotent on externalId; the last copy in one call wins) and
 * publishes them to leads.raw. Duplicates still `raw` are published again: a client retrying after a
 * failed publish heals its own leads, and the stages ignore a lead that already moved on.
 */
export async function ingestLeads(
  deps: IngestDeps,
  orgId: string,
  input: LeadInput[],
): Promise<IngestResult> {
  const unique = [...new Map(input.map((l) => [l.externalId, l])).values()];
  const created = await insertNewLeads(deps.db, orgId, unique, deps.now());
  const duplicates = input.length - created.length;
  const republish =
    created.length < unique.length
      ? await stuckRawLeads(
          deps.db,
          orgId,
          unique.map((l) => l.externalId),
        )
      : [];
  const ids = [...new Set([...created, ...republish])];
  await deps.publishRaw(leadMessages("leads.raw", orgId, ids));
  return { accepted: created.length, duplicates };
}

export const listLeads = (db: Db, orgId: string, query: LeadListQuery) =>
  pageLeads(db, orgId, query).then((page) => mapPage(page, toLead));

export async function getLead(db: Db, orgId: string, id: string): Promise<LeadDetail> {
  const row = await requireInOrg(db, leads, orgId, id, "Lead");
  return { ...toLead(row), events: await eventsOfLead(db, orgId, id) };
}

const SNOOZABLE: LeadStatus[] = ["raw", "scored", "snoozed"];
const SUPPRESSIBLE: LeadStatus[] = ["raw", "scored", "contacted", "engaged", "converted", "snoozed"];

function conflict(lead: LeadRow, action: string): ApiError {
  return new ApiError("conflict", `A ${lead.status} lead cannot be ${action}`);
}

/** Holds a lead back from outreach until `until`; the pipeline-wake cron releases it. */
export async function snoozeLead(
  db: Db,
  orgId: string,
  id: string,
  until: number,
  audit: AuditContext,
  now: number,
) {
  const lead = await requireInOrg(db, leads, orgId, id, "Lead");
  if (!SNOOZABLE.includes(lead.status)) throw conflict(lead, "snoozed");
  if (until <= now)
    throw new ApiError("unprocessable", "until must be in the future", {
      errors: [{ path: "until", message: "in the past" }],
    });
  const set = { status: "snoozed" as const, snoozedUntil: until, updatedAt: now };
  await auditedBatch(
    db,
    orgId,
    audit,
    { action: "lead.snooze", targetType: "lead", targetId: id, changes: { until } },
    () => [
      moveLead(db, lead, SNOOZABLE, set),
      leadEvent(db, orgId, id, "snoozed", now, { until, by: audit.actor.id }),
    ],
  );
  return frameOf({ ...lead, ...set }, lead.status);
}

export async function suppressLead(db: Db, orgId: string, id: string, audit: AuditContext, now: number) {
  const lead = await requireInOrg(db, leads, orgId, id, "Lead");
  if (!SUPPRESSIBLE.includes(lead.status)) throw conflict(lead, "suppressed");
  const set = { status: "suppressed" as const, snoozedUntil: null, updatedAt: now };
  await auditedBatch(db, orgId, audit, { action: "lead.suppress", targetType: "lead", targetId: id }, () => [
    moveLead(db, lead, SUPPRESSIBLE, set),
    leadEvent(db, orgId, id, "suppressed", now, { by: audit.actor.id }),
  ]);
  return frameOf({ ...lead, ...set }, lead.status);
}
