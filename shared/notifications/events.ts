import type { ShiftyEventType } from "../contract/notifications.ts";
import type { Db } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import { postSlackMessage, type SlackDeps, SlackError } from "../slack/webhook.ts";
import { persistEvent, setEnqueued } from "../webhooks/lifecycle.ts";
import { eventMessage, sendWebhookMessages, type WebhookQueue } from "../webhooks/message.ts";
import { rulesFor } from "./rules.ts";

/**
 * Shifty's own events out (docs/notifications.md). An event is stored like an inbound one (provider
 * `shifty`, no source) and queued, so the existing consumer fans it out to every endpoint subscribed
 * to `shifty.<type>` as a signed, retried delivery; the project's notification rules post it to Slack.
 */

/** The events' pseudo-source: they come from Shifty, not from a tenant's source. */
const SHIFTY_SOURCE = "shifty";

export type EmitDeps = {
  db: Db;
  queue: WebhookQueue;
  encryptionKey: string;
  slack: SlackDeps;
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
  /** One line for people (Slack); endpoints get `data`. */
  summary: string;
  data: Record<string, unknown>;
};

export async function emitShiftyEvent(deps: EmitDeps, e: ShiftyEvent) {
  const { db, now } = deps;
  const body = JSON.stringify({ type: `shifty.${e.type}`, projectId: e.projectId, data: e.data });
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
  if (duplicate) return { eventId: event.id, duplicate, slack: { sent: 0, failed: 0 } };
  try {
    await sendWebhookMessages(deps.queue, [{ body: eventMessage(event) }]);
  } catch (error) {
    // Not lost: an event without enqueuedAt is re-queued by the webhooks sweeper cron job.
    deps.logger.error("shifty event enqueue", { eventId: event.id, error: String(error) });
    await setEnqueued(db, e.orgId, event.id, null);
  }
  return { eventId: event.id, duplicate, slack: await postToSlack(deps, e) };
}

/** One attempt per matching rule; a failure is logged, never thrown (the endpoints still get it). */
async function postToSlack(deps: EmitDeps, e: ShiftyEvent) {
  const outcome = { sent: 0, failed: 0 };
  if (e.projectId === null) return outcome;
  const rules = await rulesFor(deps.db, deps.encryptionKey, e.orgId, e.projectId, e.type);
  await Promise.all(
    rules.map(async (rule) => {
      try {
        await postSlackMessage(deps.slack, rule.url, {
          text: e.summary,
          blocks: [{ type: "section", text: { type: "mrkdwn", text: `*shifty.${e.type}* — ${e.summary}` } }],
        });
        outcome.sent++;
      } catch (error) {
        if (!(error instanceof SlackError)) throw error;
        outcome.failed++;
        deps.logger.error("slack notification", { ruleId: rule.id, status: error.status });
      }
    }),
  );
  return outcome;
}
