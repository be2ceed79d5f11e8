import { workflowRunner } from "../../shared/ai/workflows/runner.ts";
import { workflowPlanner } from "../../shared/ai/workflows/runs.ts";
import { slackPlanner } from "../../shared/notifications/slack-deliveries.ts";
import {
  type ConsumerDeps,
  consumeDeadLetters,
  consumeWebhookMessages,
  DEFAULT_HANDLERS,
} from "../../shared/webhooks/consumer.ts";
import type { DeliveryDeps } from "../../shared/webhooks/delivery.ts";
import { sendWebhookMessages } from "../../shared/webhooks/message.ts";
import { aiTokenSpender } from "../ai-rate.ts";
import type { Env } from "../env.ts";
import { createServices, type Services } from "../services.ts";

/**
 * What one outbound delivery attempt needs, from the Worker's services (the consumer's, and the
 * "send test event" route's). fetch is looked up per call.
 */
export function deliveryDepsOf(services: Services): DeliveryDeps {
  const { config, db, queues, clock } = services;
  return {
    db,
    encryptionKey: config.encryptionKey,
    enqueue: (messages) => sendWebhookMessages(queues.webhooks, messages),
    fetch: (input, init) => fetch(input, init),
    now: clock,
    random: Math.random,
    // Loopback targets only in local development, and only when ALLOW_LOOPBACK_WEBHOOKS says so.
    allowLoopback: config.allowLoopbackWebhooks && config.appEnv === "development",
    backoffScale: config.webhooksBackoffScale,
  };
}

/** The consumers' collaborators from the Worker's services. */
export function webhookConsumerDeps(env: Env, overrides: Partial<ConsumerDeps> = {}): ConsumerDeps {
  const services = createServices(env);
  const { config, logger } = services;
  return {
    ...deliveryDepsOf(services),
    handlers: DEFAULT_HANDLERS,
    logger,
    // AI workflows an event starts and runs (docs/ai.md).
    workflows: workflowPlanner,
    // Slack posts of Shifty's own events (docs/notifications.md).
    notifications: slackPlanner,
    runWorkflow: workflowRunner({
      llm: config.llm,
      githubApiUrl: config.githubApiUrl,
      publicUrl: config.publicUrl,
      workersAi: services.workersAi,
      spendAiToken: aiTokenSpender(services),
    }),
    ...overrides,
  };
}

/** The `webhooks` queue: process inbound events and make outbound delivery attempts. */
export function consumeWebhooksQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  return consumeWebhookMessages(batch.messages, webhookConsumerDeps(env));
}

/** The `webhooks-dlq` queue: messages whose retries ran out. */
export function consumeWebhooksDlq(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  return consumeDeadLetters(batch.messages, webhookConsumerDeps(env));
}
