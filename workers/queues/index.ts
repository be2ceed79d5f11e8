import { jsonLogger } from "../../shared/logger.ts";
import type { Env } from "../env.ts";
import { PIPELINE_QUEUE_HANDLERS } from "./pipeline.ts";
import { consumeWebhooksDlq, consumeWebhooksQueue } from "./webhooks.ts";

export type QueueHandler = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

/** Consumers by queue name (wrangler.toml [[queues.consumers]]); each domain adds its queues here. */
export const QUEUE_HANDLERS: Record<string, QueueHandler> = {
  webhooks: consumeWebhooksQueue,
  "webhooks-dlq": consumeWebhooksDlq,
  ...PIPELINE_QUEUE_HANDLERS,
};

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  const handler = QUEUE_HANDLERS[batch.queue];
  if (!handler) {
    jsonLogger().error("no consumer for queue", { queue: batch.queue });
    batch.retryAll({ delaySeconds: 60 });
    return;
  }
  await handler(batch, env, ctx);
}
