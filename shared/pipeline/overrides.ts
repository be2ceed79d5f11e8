import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import type { LeadFrame, LeadStatus } from "../contract/pipeline.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { leads } from "../db/schema/pipeline.ts";
import { ApiError } from "../errors.ts";
import { ArmCache, experimentFor, planContact, recordContacts } from "./contact.ts";
import type { PipelineDeps } from "./deps.ts";
import { outreachEndpoints } from "./outbound.ts";
import { activeExperiments } from "./repository.ts";
import { frameOf } from "./rows.ts";

const FORCEABLE: LeadStatus[] = ["scored", "snoozed"];

/**
 * A human sends outreach now, whatever the score or snooze: the variant is the one asked for, or the
 * bandit's choice. The send counts in the posterior like any other.
 */
export async function forceOutreach(
  deps: PipelineDeps,
  orgId: string,
  id: string,
  variantKey: string | undefined,
  audit: AuditContext,
): Promise<{ variantKey: string; experimentId: string; frame: LeadFrame }> {
  const { db } = deps;
  const lead = await requireInOrg(db, leads, orgId, id, "Lead");
  if (!FORCEABLE.includes(lead.status))
    throw new ApiError("conflict", `A ${lead.status} lead cannot be contacted now`);
  const experiment = experimentFor(lead, await activeExperiments(db, orgId));
  if (!experiment) throw new ApiError("conflict", "No active experiment targets this lead's persona");
  const endpoints = await outreachEndpoints(db, orgId);
  const mode = endpoints.length > 0 ? "deliver" : "record";
  const now = deps.now();
  const plan = await planContact(lead, experiment, new ArmCache(db), deps.random, now, {
    forcedKey: variantKey,
    mode,
    actor: audit.actor.id,
  });
  await auditedBatch(
    db,
    orgId,
    audit,
    {
      action: "lead.force_outreach",
      targetType: "lead",
      targetId: id,
      changes: { experimentId: experiment.id, variantKey: plan.variantKey },
    },
    () => recordContacts(db, orgId, [{ experiment, plan }], FORCEABLE, now) as [],
  );
  if (mode === "deliver")
    await deps.publishOutreach([{ topic: "outreach.events", kind: "send", orgId, leadId: id }]);
  return { variantKey: plan.variantKey, experimentId: experiment.id, frame: frameOf(plan.lead, lead.status) };
}
