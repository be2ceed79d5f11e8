import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type Db, isUniqueViolation } from "../db/client.ts";
import { roundRowsIn } from "../db/org-scoped.ts";
import {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookEventApplications,
  webhookEvents,
  webhookSources,
} from "../db/schema/webhooks.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import { type DomainEventContext, upsertDomainEvent } from "./domain-event-repository.ts";
import { type DomainEvent, type InboundEvent, type InboundHandler, parsePayload } from "./domain-events.ts";
import { eventRound, openEventRound } from "./events.ts";
import { deliverMessage, type EventMessage, type OutgoingMessage, type QueueMessageLike } from "./message.ts";
import { endpointWants, processingRetryDelay } from "./routing.ts";

/** What processing an event needs besides the message. */
export type ProcessingDeps = {
  db: Db;
  enqueue: (messages: OutgoingMessage[]) => Promise<void>;
  now: () => number;
  random: () => number;
  /** Multiplies every retry wait; 1 in production, 0 in the benchmark (WEBHOOKS_BACKOFF_SCALE). */
  backoffScale: number;
  handlers: InboundHandler[];
  logger: Logger;
  /** Workflows an event starts (docs/ai.md): their runs are inserted in the event's own batch. */
  workflows?: WorkflowPlanner;
  /** Slack posts of Shifty's own events (docs/notifications.md), planned the same way. */
  notifications?: WorkflowPlanner;
};

/**
 * What processing asks of the workflows: rows to insert with the event (from the domain events the
 * handlers already read out of the payload), messages to send after.
 */
export type WorkflowPlanner = {
  plan(
    db: Db,
    event: InboundEvent & { orgId: string; round: number },
    domainEvents: DomainEvent[],
    payload: unknown,
    context: EventContext,
  ): Promise<BatchItem<"sqlite">[]>;
  pending(
    db: Db,
    event: { orgId: string; id: string; round: number; provider: string },
  ): Promise<OutgoingMessage[]>;
};

/** Where the event came from: the same context its domain events are recorded with. */
export type EventContext = DomainEventContext;

type WebhookEvent = typeof webhookEvents.$inferSelect;

/**
 * Processes one `event` message: runs the internal handlers, creates a delivery per subscribed
 * endpoint and marks the event processed, all in one batch; then queues the deliveries. A failing
 * handler records a failed attempt and the message is retried with backoff (after the queue's last
 * retry it goes to the dead-letter queue, lifecycle.ts).
 */
export async function processEvent(msg: EventMessage, message: QueueMessageLike, deps: ProcessingDeps) {
  const { db } = deps;
  const [event] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.orgId, msg.orgId), eq(webhookEvents.id, msg.eventId)))
    .limit(1);
  // Gone, superseded by a replay (a newer round has its own message), or already dead-lettered.
  if (!event || event.round !== msg.round || event.status === "dead") {
    message.ack();
    return;
  }
  if (event.status === "processed") {
    // A redelivery: nothing is applied again, but deliveries whose enqueue may have failed are re-sent
    // to the queue (their claim makes a duplicate message harmless).
    await enqueuePendingDeliveries(deps, event);
    message.ack();
    return;
  }
  const attempt = event.attempts + 1;
  const now = deps.now();
  try {
    await applyEvent(deps, event, attempt, now);
    await enqueuePendingDeliveries(deps, event);
    message.ack();
  } catch (error) {
    await recordProcessingFailure(deps, event, attempt, now, error);
    message.retry({ delaySeconds: processingRetryDelay(message.attempts, deps.random, deps.backoffScale) });
  }
}

/**
 * One batch: the applied marker first (a second application of this round fails on its primary key
 * and the whole batch rolls back), the domain events' upserts, one pending delivery per subscribed
 * endpoint, the succeeded attempt and the event's new status.
 */
async function applyEvent(deps: ProcessingDeps, event: WebhookEvent, attempt: number, now: number) {
  const { db } = deps;
  const payload = parsePayload(event.body);
  const domainEvents = deps.handlers.flatMap((handler) => handler(event, payload));
  const [source] = await db
    .select({ projectId: webhookSources.projectId })
    .from(webhookSources)
    .where(and(eq(webhookSources.orgId, event.orgId), eq(webhookSources.id, event.sourceId)))
    .limit(1);
  const endpoints = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, event.orgId), eq(webhookEndpoints.status, "active")));
  const context: EventContext = {
    orgId: event.orgId,
    provider: event.provider,
    eventId: event.id,
    projectId: source?.projectId ?? null,
    environment: event.environment,
    now,
  };
  const statements: BatchItem<"sqlite">[] = [
    db
      .insert(webhookEventApplications)
      .values({ eventId: event.id, round: event.round, orgId: event.orgId, appliedAt: now }),
    ...domainEvents.map((domainEvent) => upsertDomainEvent(db, context, domainEvent)),
    ...endpoints
      .filter((endpoint) => endpointWants(endpoint, event))
      .map((endpoint) => newDelivery(db, event, endpoint.id, now)),
    ...((await deps.workflows?.plan(db, event, domainEvents, payload, context)) ?? []),
    ...((await deps.notifications?.plan(db, event, domainEvents, payload, context)) ?? []),
    processAttempt(db, event, attempt, now, null),
    db
      .update(webhookEvents)
      .set({ status: "processed", attempts: attempt, processedAt: now, lastError: null, updatedAt: now })
      .where(eventRound(event)),
  ];
  try {
    await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (!isUniqueViolation(error, "webhook_event_applications")) throw error;
    // Another consumer applied this round first.
  }
}

function newDelivery(db: Db, event: WebhookEvent, endpointId: string, now: number) {
  return db
    .insert(webhookDeliveries)
    .values({
      id: newId("dlv", now),
      orgId: event.orgId,
      endpointId,
      eventId: event.id,
      round: event.round,
      status: "pending",
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
}

/** The attempt log row of one processing attempt; `error` null means it succeeded. */
function processAttempt(db: Db, event: WebhookEvent, attempt: number, now: number, error: string | null) {
  return db.insert(webhookAttempts).values({
    id: newId("att", now),
    orgId: event.orgId,
    eventId: event.id,
    kind: "process",
    attempt,
    outcome: error === null ? "succeeded" : "failed",
    ...(error === null ? {} : { error }),
    createdAt: now,
  });
}

/** Best effort: a failure to record the failure is only logged (the retry happens regardless). */
async function recordProcessingFailure(
  deps: ProcessingDeps,
  event: WebhookEvent,
  attempt: number,
  now: number,
  error: unknown,
) {
  const { db } = deps;
  const detail = String(error instanceof Error ? error.message : error).slice(0, 1000);
  await db
    .batch([
      processAttempt(db, event, attempt, now, detail),
      db
        .update(webhookEvents)
        .set({ status: "failed", attempts: attempt, lastError: detail, updatedAt: now })
        .where(openEventRound(event)),
    ])
    .catch((e: unknown) =>
      deps.logger.error("could not record processing failure", { eventId: event.id, error: String(e) }),
    );
}

/** Queues every pending delivery of this round (again, after a redelivery: claims make that harmless). */
async function enqueuePendingDeliveries(deps: ProcessingDeps, event: WebhookEvent) {
  // Three independent reads: made together, not one after another.
  const [pending, workflows, slack] = await Promise.all([
    roundRowsIn(deps.db, webhookDeliveries, event, "pending"),
    deps.workflows?.pending(deps.db, event) ?? [],
    deps.notifications?.pending(deps.db, event) ?? [],
  ]);
  if (pending.length === 0 && workflows.length === 0 && slack.length === 0) return;
  await deps.enqueue([
    ...pending.map((delivery) => ({ body: deliverMessage(delivery) })),
    ...workflows,
    ...slack,
  ]);
}
