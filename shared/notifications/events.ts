import type { ShiftyEventType } from "../contract/notifications.ts";
import type { Db } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import { persistEvent, setEnqueued } from "../webhooks/lifecycle.ts";
import { eventMessage, sendWebhookMessages, type WebhookQueue } from "../webhooks/message.ts";

/**
 * Shifty's own events out (docs/notifications.md). An event is stored like an inbound one (provider
 * `shifty`, no source) and queued, so the existing consumer fans it out to every endpoint subscribed
 * to `shifty.<type>` as a signed, retried delivery, and to the project's notification rules as Slack
 * deliveries retried the same way (slack-deliveries.ts).
 */

/** The events' pseudo-source: they come from Shifty, not from a tenant's source. */
const SHIFTY_SOURCE = "shifty";

export type EmitDeps = {
  db: Db;
  queue: WebhookQueue;
  logger: Logger;
  now: number;
};

export type ShiftyEvent = {
  orgId: string;
  /** Null for organisation-wide events (no project's Slack rules apply; endpoints still get them). */
  projectId: string | null;
  type: ShiftyEventType;
  /** Idempotency: one event per key (e.g. `gate.failed:<run id>`), however often it is emitted. */
  key: string;
  /** One line for people (Slack's message; endpoints get it beside `data`). */
  summary: string;
  data: Record<string, unknown>;
};

export async function emitShiftyEvent(deps: EmitDeps, e: ShiftyEvent) {
  const { db, now } = deps;
  const body = JSON.stringify({
    type: `shifty.${e.type}`,
    projectId: e.projectId,
    summary: e.summary,
    data: e.data,
  });
  const { duplicate, event } = await persistEvent(db, {
    orgId: e.orgId,
    sourceId: SHIFTY_SOURCE,
    provider: "shifty",
    type: e.type,
    deliveryId: `${e.orgId}:${e.key}`,
    environment: null,
    headers: {},
    body,
    receivedAt: now,
  });
  if (duplicate) return { eventId: event.id, duplicate };
  try {
    await sendWebhookMessages(deps.queue, [{ body: eventMessage(event) }]);
  } catch (error) {
    // Not lost: an event without enqueuedAt is re-queued by the webhooks sweeper cron job.
    deps.logger.error("shifty event enqueue", { eventId: event.id, error: String(error) });
    await setEnqueued(db, e.orgId, event.id, null);
  }
  return { eventId: event.id, duplicate };
}
