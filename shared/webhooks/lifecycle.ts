import { and, asc, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { type AuditContext, type AuditEntry, auditedBatch } from "../audit/repository.ts";
import type { BulkReplayRequest } from "../contract/webhooks.ts";
import type { Db } from "../db/client.ts";
import {
  type Environment,
  type EventProvider,
  webhookDeliveries,
  webhookEvents,
} from "../db/schema/webhooks.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Clock, Logger } from "../logger.ts";
import { stuckSlackDeliveries } from "../notifications/slack-deliveries.ts";
import { stuckDeliveries } from "./delivery-claim.ts";
import { eventFilters, openEventRound, requireEvent } from "./events.ts";
import {
  deliverMessage,
  eventMessage,
  sendWebhookMessages,
  type WebhookMessage,
  type WebhookQueue,
} from "./message.ts";

/**
 * An inbound event's life: stored on ingest (idempotent on the provider's delivery id), queued,
 * processed or retried, dead-lettered when the queue's retries run out, and replayed on request.
 * The sweeper re-queues work whose queue message was lost. Statuses: docs/webhooks.md.
 */

/** The slice of the Worker's services (workers/services.ts) the webhook use cases work with. */
export type WebhookServices = {
  db: Db;
  queues: { webhooks: WebhookQueue };
  logger: Logger;
  clock: Clock;
};

export type NewEvent = {
  orgId: string;
  sourceId: string;
  provider: EventProvider;
  type: string;
  deliveryId: string;
  environment: Environment | null;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
};

/**
 * Inserts the event unless (source, provider delivery id) exists. Returns the new row, or the existing
 * one with `duplicate: true`.
 */
export async function persistEvent(db: Db, input: NewEvent) {
  const row = {
    id: newId("evt", input.receivedAt),
    ...input,
    status: "received" as const,
    round: 0,
    attempts: 0,
    // Set optimistically (ingest enqueues right after); a failed enqueue clears it.
    enqueuedAt: input.receivedAt,
    updatedAt: input.receivedAt,
  };
  const inserted = await db
    .insert(webhookEvents)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  if (inserted[0]) return { duplicate: false as const, event: row };
  const [existing] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.sourceId, input.sourceId), eq(webhookEvents.deliveryId, input.deliveryId)))
    .limit(1);
  if (!existing) throw new Error("event vanished between insert and select");
  return { duplicate: true as const, event: existing };
}

/** When the event was last handed to the queue; null says it is not queued (the sweeper will). */
export async function setEnqueued(db: Db, orgId: string, eventId: string, at: number | null) {
  await db
    .update(webhookEvents)
    .set({ enqueuedAt: at })
    .where(and(eq(webhookEvents.orgId, orgId), eq(webhookEvents.id, eventId)));
}

/**
 * The webhooks-dlq consumer's work: an event whose retries ran out is marked dead (replayable by API);
 * a delivery message that ran out ends the delivery as failed.
 */
export async function markDeadLettered(db: Db, msg: Exclude<WebhookMessage, { kind: "slack" }>, now: number) {
  if (msg.kind === "event") {
    await db
      .update(webhookEvents)
      .set({ status: "dead", deadAt: now, updatedAt: now })
      .where(openEventRound({ orgId: msg.orgId, id: msg.eventId, round: msg.round }));
    return;
  }
  // A workflow run records its own last failure (shared/ai/workflows/runner.ts).
  if (msg.kind === "workflow") return;
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: "dead-lettered", completedAt: now, updatedAt: now })
    .where(
      and(
        eq(webhookDeliveries.orgId, msg.orgId),
        eq(webhookDeliveries.id, msg.deliveryId),
        inArray(webhookDeliveries.status, ["pending", "sending", "retrying"]),
      ),
    );
}

/** How long a message may be in flight before the sweeper assumes it was lost and sends another. */
export const STUCK_AFTER_MS = 10 * 60 * 1000;

/**
 * Finds work whose queue message was lost (enqueue failed after the write, or a message vanished) and
 * returns messages to send again (Slack deliveries of Shifty events too, docs/notifications.md).
 * Duplicates are harmless: events are applied once per round,
 * deliveries are claimed. Cross-tenant by design (a system job); every message carries its org id.
 */
export async function findStuckWork(db: Db, now: number, limit = 500): Promise<WebhookMessage[]> {
  const before = now - STUCK_AFTER_MS;
  const events = await db
    .select({ id: webhookEvents.id, orgId: webhookEvents.orgId, round: webhookEvents.round })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.status, "received"),
        lt(webhookEvents.receivedAt, before),
        or(isNull(webhookEvents.enqueuedAt), lt(webhookEvents.enqueuedAt, before)),
      ),
    )
    .limit(limit);
  const deliveries = await stuckDeliveries(db, webhookDeliveries, now, before, limit);
  const slack = await stuckSlackDeliveries(db, now, before, limit);
  return [...events.map(eventMessage), ...deliveries.map(deliverMessage), ...slack];
}

/** The sweeper: sends the lost work again; returns how many messages it sent. */
export async function requeueStuckWork(services: Pick<WebhookServices, "db" | "queues" | "clock">) {
  const messages = await findStuckWork(services.db, services.clock());
  await sendWebhookMessages(
    services.queues.webhooks,
    messages.map((body) => ({ body })),
  );
  return messages.length;
}

/** D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;

/** Replays one event of the org: a new round, handlers run again and endpoints get it again. */
export async function replayEvent(
  services: WebhookServices,
  orgId: string,
  audit: AuditContext,
  eventId: string,
): Promise<{ id: string; round: number }> {
  const event = await requireEvent(services.db, orgId, eventId);
  const entry = {
    action: "webhook_event.replay",
    targetType: "webhook_event",
    targetId: event.id,
    changes: { round: event.round + 1 },
  };
  const [replayed] = await moveToNextRound(services, orgId, audit, [event], entry);
  return replayed as { id: string; round: number };
}

/** Replays the org's events matching the filter (dead ones by default), oldest first, up to `limit`. */
export async function replayEvents(
  services: WebhookServices,
  orgId: string,
  audit: AuditContext,
  filter: BulkReplayRequest,
): Promise<{ id: string; round: number }[]> {
  const where = eventFilters(orgId, filter);
  if (filter.receivedAfter !== undefined) where.push(gte(webhookEvents.receivedAt, filter.receivedAfter));
  if (filter.receivedBefore !== undefined) where.push(lt(webhookEvents.receivedAt, filter.receivedBefore));
  const events = await services.db
    .select({ id: webhookEvents.id, round: webhookEvents.round })
    .from(webhookEvents)
    .where(and(...where))
    .orderBy(asc(webhookEvents.id))
    .limit(filter.limit);
  if (events.length === 0) return [];
  const entry = {
    action: "webhook_event.bulk_replay",
    targetType: "webhook_event",
    targetId: null,
    changes: { count: events.length, filter: filter as Record<string, unknown> },
  };
  return moveToNextRound(services, orgId, audit, events, entry);
}

/**
 * Moves events to a new round (status received, attempts 0) in one audited batch, then queues them.
 * A message of an older round still in the queue is dropped by processing.
 */
async function moveToNextRound(
  services: WebhookServices,
  orgId: string,
  audit: AuditContext,
  events: { id: string; round: number }[],
  entry: AuditEntry,
) {
  const { db } = services;
  const now = services.clock();
  const t = webhookEvents;
  const chunks: string[][] = [];
  for (let i = 0; i < events.length; i += ID_CHUNK)
    chunks.push(events.slice(i, i + ID_CHUNK).map((e) => e.id));
  await auditedBatch(db, orgId, audit, entry, () =>
    chunks.map((ids) =>
      db
        .update(t)
        .set({
          status: "received",
          round: sql`${t.round} + 1`,
          attempts: 0,
          lastError: null,
          processedAt: null,
          deadAt: null,
          enqueuedAt: now,
          updatedAt: now,
        })
        .where(and(eq(t.orgId, orgId), inArray(t.id, ids))),
    ),
  );
  const replayed = events.map((e) => ({ id: e.id, round: e.round + 1 }));
  try {
    await sendWebhookMessages(
      services.queues.webhooks,
      replayed.map((e) => ({ body: eventMessage({ orgId, ...e }) })),
    );
  } catch (error) {
    // The rows say "received": the sweeper re-queues them within minutes.
    services.logger.error("replay enqueue failed", { error: String(error) });
    throw new ApiError("unavailable", "Replay recorded but not queued yet; it will be retried automatically");
  }
  return replayed;
}
