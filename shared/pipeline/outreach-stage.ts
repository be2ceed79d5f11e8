import { and, eq, inArray } from "drizzle-orm";
import type { BoardFrame, LeadStatus } from "../contract/pipeline.ts";
import { isUniqueViolation } from "../db/client.ts";
import { findInOrg } from "../db/org-scoped.ts";
import { experiments, leads, outreachEvents } from "../db/schema/pipeline.ts";
import type { PipelineDeps } from "./deps.ts";
import {
  type EngagementMessage,
  leadIdsOf,
  outreachMessageSchema,
  pipelineMessageSchema,
  type SendMessage,
  type StageMessage,
  stageRetryDelay,
} from "./messages.ts";
import { deliverOutreach, outreachEndpoints } from "./outbound.ts";
import { bumpArm, leadByExternalId, leadEvent, moveLead, type Statement } from "./repository.ts";
import { frameOf } from "./rows.ts";

/** Stage outreach.events: deliver `send` messages and apply engagement events, each message on its own. */
export async function consumeOutreach(messages: readonly StageMessage[], deps: PipelineDeps): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      const parsed = outreachMessageSchema.safeParse(message.body);
      if (!parsed.success) {
        message.ack();
        return;
      }
      try {
        if (parsed.data.kind === "send") await deliverSend(parsed.data, deps);
        else await applyEngagement(parsed.data, deps);
        message.ack();
      } catch (error) {
        console.error(
          JSON.stringify({ level: "error", msg: "outreach message failed", error: String(error) }),
        );
        message.retry({ delaySeconds: stageRetryDelay(message.attempts, deps.random, deps.backoffScale) });
      }
    }),
  );
}

async function deliverSend(msg: SendMessage, deps: PipelineDeps) {
  const lead = await findInOrg(deps.db, leads, msg.orgId, msg.leadId);
  if (!lead?.experimentId || !lead.variantKey || lead.status === "suppressed") return;
  const experiment = await findInOrg(deps.db, experiments, msg.orgId, lead.experimentId);
  const variant = experiment?.variants.find((v) => v.key === lead.variantKey);
  const endpoints = await outreachEndpoints(deps.db, msg.orgId);
  if (!variant || endpoints.length === 0) return;
  await deliverOutreach(deps, endpoints, {
    id: `${lead.id}.${variant.key}`,
    payload: {
      leadId: lead.id,
      externalId: lead.externalId,
      email: lead.email,
      name: lead.name,
      persona: lead.persona,
      experimentId: lead.experimentId,
      variantKey: variant.key,
      subject: variant.subject,
      body: variant.body,
    },
  });
  await leadEvent(deps.db, msg.orgId, lead.id, "delivered", deps.now(), { endpoints: endpoints.length });
}

/** Where each engagement type moves a lead, and from which statuses. */
const TRANSITIONS: Record<EngagementMessage["event"]["type"], { to: LeadStatus; from: LeadStatus[] } | null> =
  {
    opened: { to: "engaged", from: ["contacted"] },
    replied: { to: "engaged", from: ["contacted"] },
    converted: { to: "converted", from: ["raw", "scored", "contacted", "engaged", "snoozed", "suppressed"] },
    unsubscribed: { to: "suppressed", from: ["raw", "scored", "contacted", "engaged", "snoozed"] },
    bounced: null,
  };

/**
 * Applies one engagement event at most once: the outreach_events row goes first in the batch, so a
 * second delivery of the same id fails on its primary key and the whole batch (posterior included)
 * rolls back. A conversion adds one to the arm the lead's send was counted in, only while the lead
 * is not yet converted.
 */
async function applyEngagement(msg: EngagementMessage, deps: PipelineDeps) {
  const { db } = deps;
  const lead = await leadByExternalId(db, msg.orgId, msg.event.leadExternalId);
  const now = deps.now();
  const record = db.insert(outreachEvents).values({
    orgId: msg.orgId,
    id: msg.event.id,
    leadId: lead?.id ?? null,
    leadExternalId: msg.event.leadExternalId,
    type: msg.event.type,
    outcome: lead ? "applied" : "unknown_lead",
    receivedAt: msg.receivedAt,
  });
  if (!lead) {
    await record.onConflictDoNothing();
    return;
  }
  const move = TRANSITIONS[msg.event.type];
  const statements: Statement[] = [record];
  if (msg.event.type === "converted" && lead.experimentId && lead.variantKey && lead.segment) {
    const arm = { experimentId: lead.experimentId, variantKey: lead.variantKey, segment: lead.segment };
    statements.push(bumpArm(db, arm, "conversions", lead.id, move?.from ?? []));
  }
  const stamp =
    move?.to === "engaged" ? { engagedAt: now } : move?.to === "converted" ? { convertedAt: now } : {};
  if (move) statements.push(moveLead(db, lead, move.from, { status: move.to, ...stamp, updatedAt: now }));
  statements.push(leadEvent(db, msg.orgId, lead.id, msg.event.type, now, { eventId: msg.event.id }));
  try {
    await db.batch(statements as [Statement, ...Statement[]]);
  } catch (error) {
    if (isUniqueViolation(error, "outreach_events")) return; // already applied
    throw error;
  }
  if (move?.from.includes(lead.status)) {
    const frames: BoardFrame[] = [frameOf({ ...lead, status: move.to, updatedAt: now }, lead.status)];
    if (msg.event.type === "converted" && lead.experimentId)
      frames.push({ type: "experiment", experimentId: lead.experimentId });
    await deps.notify(msg.orgId, frames);
  }
}

/** pipeline-dlq: whatever ran out of retries is marked dead where it lives (lead or event). */
export async function consumeDeadLetters(
  messages: readonly StageMessage[],
  deps: Pick<PipelineDeps, "db" | "now">,
) {
  for (const message of messages) {
    const parsed = pipelineMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      message.ack();
      continue;
    }
    const msg = parsed.data;
    const now = deps.now();
    if ("kind" in msg && msg.kind === "event") {
      await deps.db
        .insert(outreachEvents)
        .values({
          orgId: msg.orgId,
          id: msg.event.id,
          leadId: null,
          leadExternalId: msg.event.leadExternalId,
          type: msg.event.type,
          outcome: "dead",
          receivedAt: msg.receivedAt,
        })
        .onConflictDoNothing();
    } else {
      // A send names one lead (`leadId`); a raw or scored message up to LEADS_PER_MESSAGE of them.
      const ids = leadIdsOf(msg);
      await deps.db.batch([
        deps.db
          .update(leads)
          .set({ deadAt: now, updatedAt: now })
          .where(and(eq(leads.orgId, msg.orgId), inArray(leads.id, ids))),
        ...ids.map((id) => leadEvent(deps.db, msg.orgId, id, "dead_lettered", now, { topic: msg.topic })),
      ]);
    }
    message.ack();
  }
}
