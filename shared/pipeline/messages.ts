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

export const rawMessageSchema = z.object({
  topic: z.literal("leads.raw"),
  orgId: z.string(),
  leadId: z.string(),
});
export const scoredMessageSchema = z.object({
  topic: z.literal("leads.scored"),
  orgId: z.string(),
  leadId: z.string(),
});
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
