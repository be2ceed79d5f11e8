import { z } from "zod";

/**
 * The WEBHOOKS queue carries two kinds of message:
 * - `event`: process one inbound event (internal handlers + fan-out to subscribed endpoints);
 * - `deliver`: make one HTTP attempt of one outbound delivery;
 * - `workflow`: run one AI workflow run an event started (docs/ai.md);
 * - `slack`: make one attempt of one Slack post of a Shifty event (docs/notifications.md).
 * All are safe to receive twice: events are applied at most once per (event, round) through the
 * webhook_event_applications primary key, deliveries are claimed with a lease before they are sent.
 */
export const webhookMessageSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("event"),
    orgId: z.string(),
    eventId: z.string(),
    round: z.number().int().min(0),
  }),
  z.object({ kind: z.literal("deliver"), orgId: z.string(), deliveryId: z.string() }),
  z.object({ kind: z.literal("workflow"), orgId: z.string(), runId: z.string() }),
  z.object({ kind: z.literal("slack"), orgId: z.string(), deliveryId: z.string() }),
]);
export type WebhookMessage = z.infer<typeof webhookMessageSchema>;
export type EventMessage = Extract<WebhookMessage, { kind: "event" }>;
export type DeliverMessage = Extract<WebhookMessage, { kind: "deliver" }>;
export type WorkflowMessage = Extract<WebhookMessage, { kind: "workflow" }>;
export type SlackMessage = Extract<WebhookMessage, { kind: "slack" }>;

/** A message with its optional queue delay, as `enqueue` and `sendBatch` take it. */
export type OutgoingMessage = { body: WebhookMessage; delaySeconds?: number };

/** The part of a queue Message the consumer uses (workerd's Message, or a test double). */
export type QueueMessageLike = {
  body: unknown;
  attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
};

/** The part of the WEBHOOKS queue binding the producers use. */
export type WebhookQueue = {
  send(body: WebhookMessage): Promise<unknown>;
  sendBatch(messages: OutgoingMessage[]): Promise<unknown>;
};

export function eventMessage(event: { orgId: string; id: string; round: number }): EventMessage {
  return { kind: "event", orgId: event.orgId, eventId: event.id, round: event.round };
}

export function deliverMessage(delivery: { orgId: string; id: string }): DeliverMessage {
  return { kind: "deliver", orgId: delivery.orgId, deliveryId: delivery.id };
}

/** Cloudflare Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

export async function sendWebhookMessages(queue: WebhookQueue, messages: OutgoingMessage[]) {
  for (let i = 0; i < messages.length; i += SEND_BATCH) {
    await queue.sendBatch(messages.slice(i, i + SEND_BATCH));
  }
}
