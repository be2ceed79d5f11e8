import { createDb } from "../../../shared/db/client.ts";
import {
  type ConsumerDeps,
  consumeDeadLetters,
  consumeWebhookMessages,
  DEFAULT_HANDLERS,
  type WebhookMessage,
} from "../../../shared/webhooks/consumer.ts";
import { findStuckWork } from "../../../shared/webhooks/events.ts";
import type { CronJob } from "../../cron/types.ts";
import { type Env, loadConfig } from "../../env.ts";

/** Cloudflare Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

export async function sendWebhookMessages(
  env: Env,
  messages: { body: WebhookMessage; delaySeconds?: number }[],
) {
  for (let i = 0; i < messages.length; i += SEND_BATCH) {
    await env.WEBHOOKS.sendBatch(messages.slice(i, i + SEND_BATCH));
  }
}

/** The consumer's collaborators from the Worker's bindings. fetch is looked up per call. */
export function webhookConsumerDeps(env: Env, overrides: Partial<ConsumerDeps> = {}): ConsumerDeps {
  const config = loadConfig(env);
  return {
    db: createDb(env.DB),
    encryptionKey: config.encryptionKey,
    enqueue: (messages) => sendWebhookMessages(env, messages),
    fetch: (input, init) => fetch(input, init),
    now: Date.now,
    random: Math.random,
    // Loopback targets only in local development, and only when ALLOW_LOOPBACK_WEBHOOKS says so.
    allowLoopback: config.allowLoopbackWebhooks && config.appEnv === "development",
    backoffScale: config.webhooksBackoffScale,
    handlers: DEFAULT_HANDLERS,
    ...overrides,
  };
}

export function consumeWebhooksQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  return consumeWebhookMessages(batch.messages, webhookConsumerDeps(env));
}

export function consumeWebhooksDlq(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  return consumeDeadLetters(batch.messages, webhookConsumerDeps(env));
}

/** Every 5 minutes: re-queue events and deliveries whose queue message was lost. */
export const webhookSweeperJob: CronJob = {
  name: "webhooks-sweeper",
  run: async (env) => {
    const messages = await findStuckWork(createDb(env.DB), Date.now());
    await sendWebhookMessages(
      env,
      messages.map((body) => ({ body })),
    );
    return { counts: { requeued: messages.length } };
  },
};
