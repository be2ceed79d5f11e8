import type { Lead, LeadCard, LeadFrame, LeadStatus } from "../contract/pipeline.ts";
import type { leads } from "../db/schema/pipeline.ts";

export type LeadRow = typeof leads.$inferSelect;

export function toLead(row: LeadRow): Lead {
  const { orgId: _org, segment: _segment, ...rest } = row;
  return rest;
}

export function toCard(row: LeadRow): LeadCard {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    company: row.company,
    title: row.title,
    status: row.status,
    score: row.score,
    persona: row.persona,
    variantKey: row.variantKey,
    updatedAt: row.updatedAt,
  };
}

/** The board frame of a lead that moved column (`from` null: it is new to the board). */
export const frameOf = (lead: LeadRow, from: LeadStatus | null): LeadFrame => ({
  type: "lead",
  card: toCard(lead),
  from,
});
