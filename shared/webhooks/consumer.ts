import { deliverSlackOnce, markSlackDeadLettered } from "../notifications/slack-deliveries.ts";
import { type DeliveryDeps, deliverOnce } from "./delivery.ts";
import { domainEventsHandler, type InboundHandler } from "./domain-events.ts";
import { markDeadLettered } from "./lifecycle.ts";
import { type QueueMessageLike, type WorkflowMessage, webhookMessageSchema } from "./message.ts";
import { type ProcessingDeps, processEvent } from "./processing.ts";
import { processingRetryDelay } from "./routing.ts";

/** The consumers' collaborators (workers/queues/webhooks.ts builds them from the Worker's services). */
export type ConsumerDeps = ProcessingDeps &
  DeliveryDeps & {
    /** Runs one workflow message (docs/ai.md); without it workflow messages are acked and dropped. */
    runWorkflow?: (msg: WorkflowMessage, message: QueueMessageLike, deps: ConsumerDeps) => Promise<void>;
  };

export const DEFAULT_HANDLERS: InboundHandler[] = [domainEventsHandler];

/** Consumes a batch of the WEBHOOKS queue; every message is acked or retried on its own. */
export async function consumeWebhookMessages(
  messages: readonly QueueMessageLike[],
  deps: ConsumerDeps,
): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      const parsed = webhookMessageSchema.safeParse(message.body);
      if (!parsed.success) {
        // A poison message would only bounce to the DLQ; drop it loudly instead.
        deps.logger.error("malformed webhook message dropped", {
          body: JSON.stringify(message.body).slice(0, 200),
        });
        message.ack();
        return;
      }
      try {
        if (parsed.data.kind === "event") await processEvent(parsed.data, message, deps);
        else if (parsed.data.kind === "deliver") await deliverOnce(parsed.data, message, deps);
        else if (parsed.data.kind === "slack") await deliverSlackOnce(parsed.data, message, deps);
        else if (deps.runWorkflow) await deps.runWorkflow(parsed.data, message, deps);
        else message.ack();
      } catch (error) {
        // Unexpected (e.g. D1 unavailable): the queue retries, and after max_retries dead-letters it.
        deps.logger.error("webhook message failed", { kind: parsed.data.kind, error: String(error) });
        message.retry({
          delaySeconds: processingRetryDelay(message.attempts, deps.random, deps.backoffScale),
        });
      }
    }),
  );
}

/** The webhooks-dlq consumer: messages whose retries ran out end their event (dead) or delivery. */
export async function consumeDeadLetters(
  messages: readonly QueueMessageLike[],
  deps: Pick<ConsumerDeps, "db" | "now">,
) {
  for (const message of messages) {
    const parsed = webhookMessageSchema.safeParse(message.body);
    const msg = parsed.success ? parsed.data : null;
    if (msg?.kind === "slack") await markSlackDeadLettered(deps.db, msg, deps.now());
    else if (msg) await markDeadLettered(deps.db, msg, deps.now());
    message.ack();
  }
}
