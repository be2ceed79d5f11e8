import { z } from "zod";
import { OUTREACH_EVENT_TYPES } from "../contract/pipeline.ts";

/**
 * Topics and the Cloudflare queues that carry them (queue names allow no dots):
 * leads.raw → `leads-raw`, leads.scored → `leads-scored`, outreach.events → `outreach-events`, and the
 * shared dead-letter queue `pipeline-dlq`. Every message names its topic, so the DLQ knows what died.
 */
export const TOPIC_QUEUES = {
  "leads.raw": "leads-raw",
  "leads.scored": "leads-scored",
  "outreach.events": "outreach-events",
} as const;
export const DEAD_LETTER_QUEUE = "pipeline-dlq";

/**
 * A leads.raw or leads.scored message names up to LEADS_PER_MESSAGE leads of one org (`leadIds`):
 * a 500-lead POST is five messages, not 500, which is what lets a stage take a thousand leads per
 * invocation. `leadId` (one lead) is still read, for messages sent before the change.
 */
export const LEADS_PER_MESSAGE = 100;
const leadsMessage = <T extends "leads.raw" | "leads.scored">(topic: T) =>
  z
    .object({
      topic: z.literal(topic),
      orgId: z.string(),
      leadId: z.string().optional(),
      leadIds: z.array(z.string()).min(1).max(LEADS_PER_MESSAGE).optional(),
    })
    .refine((m) => m.leadId !== undefined || m.leadIds !== undefined, { error: "no lead" });
export const rawMessageSchema = leadsMessage("leads.raw");
export const scoredMessageSchema = leadsMessage("leads.scored");

/** The lead ids a message names: a raw or scored message's list, or a send's one lead. */
export const leadIdsOf = (m: { leadId?: string; leadIds?: string[] }): string[] =>
  m.leadIds ?? (m.leadId ? [m.leadId] : []);

/** Messages of one topic for the given leads, LEADS_PER_MESSAGE ids each. */
export function leadMessages<T extends "leads.raw" | "leads.scored">(
  topic: T,
  orgId: string,
  ids: readonly string[],
): { topic: T; orgId: string; leadIds: string[] }[] {
  const out: { topic: T; orgId: string; leadIds: string[] }[] = [];
  for (let i = 0; i < ids.length; i += LEADS_PER_MESSAGE)
    out.push({ topic, orgId, leadIds: ids.slice(i, i + LEADS_PER_MESSAGE) });
  return out;
}
export const sendMessageSchema = z.object({
  topic: z.literal("outreach.events"),
  kind: z.literal("send"),
  orgId: z.string(),
  leadId: z.string(),
});
export const engagementMessageSchema = z.object({
  topic: z.literal("outreach.events"),
  kind: z.literal("event"),
  orgId: z.string(),
  receivedAt: z.number(),
  event: z.object({ id: z.string(), leadExternalId: z.string(), type: z.enum(OUTREACH_EVENT_TYPES) }),
});
export const outreachMessageSchema = z.discriminatedUnion("kind", [
  sendMessageSchema,
  engagementMessageSchema,
]);
export const pipelineMessageSchema = z.union([rawMessageSchema, scoredMessageSchema, outreachMessageSchema]);

export type RawMessage = z.infer<typeof rawMessageSchema>;
export type ScoredMessage = z.infer<typeof scoredMessageSchema>;
export type SendMessage = z.infer<typeof sendMessageSchema>;
export type EngagementMessage = z.infer<typeof engagementMessageSchema>;
export type OutreachMessage = z.infer<typeof outreachMessageSchema>;
export type PipelineMessage = z.infer<typeof pipelineMessageSchema>;

/** The part of a queue Message a stage uses (workerd's Message, or a test double). */
export type StageMessage = {
  body: unknown;
  attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
};

/** Exponential backoff from 2 s, capped at 5 min, with equal jitter; `scale` 0 in benchmarks. */
export function stageRetryDelay(attempts: number, random: () => number, scale = 1): number {
  const exp = Math.min(300, 2 * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * scale * (0.5 + 0.5 * random()));
}
