import { and, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { decryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { roundRowsIn } from "../db/org-scoped.ts";
import { notificationRules, slackDeliveries } from "../db/schema/notifications.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import { postSlackMessage, SlackError } from "../slack/webhook.ts";
import type { DeliveryDeps } from "../webhooks/delivery.ts";
import { claimDue, remainingWait, stuckDeliveries } from "../webhooks/delivery-claim.ts";
import type { QueueMessageLike, SlackMessage } from "../webhooks/message.ts";
import type { WorkflowPlanner } from "../webhooks/processing.ts";
import { deliveryRetryDelay, MAX_QUEUE_DELAY_SECONDS } from "../webhooks/routing.ts";
import { slackSealContext } from "./rules.ts";

/**
 * Slack posts of Shifty's own events as deliveries (docs/notifications.md). Processing a `shifty`
 * event creates one row per matching rule of its project, in the event's own batch (so once per
 * round); each row is a `slack` queue message that makes one attempt, retried on the webhook delivery
 * schedule (docs/webhooks.md), failed when the schedule is exhausted or the message is dead-lettered.
 */

/** What one attempt needs: what a webhook delivery attempt needs, and a logger. */
export type SlackDeliveryDeps = DeliveryDeps & { logger: Logger };

/** A claimed delivery whose consumer died is claimable again after this (Slack's timeout is 10 s). */
const LEASE_MS = 60_000;

/**
 * Slack's answers that will not change on a retry: 400 invalid_payload, 403 action_prohibited,
 * 404 no_service (the webhook was removed), 410 channel_is_archived.
 */
const PERMANENT = new Set([400, 403, 404, 410]);

/** The Shifty event as stored (shared/notifications/events.ts). */
type ShiftyEventBody = { type?: unknown; projectId?: unknown; summary?: unknown };

export const slackPlanner: WorkflowPlanner = {
  async plan(db, event, _domainEvents, payload, context) {
    if (event.provider !== "shifty") return [];
    const body = (payload ?? {}) as ShiftyEventBody;
    if (typeof body.projectId !== "string" || typeof body.type !== "string") return [];
    const type = body.type.replace(/^shifty\./, "");
    const n = notificationRules;
    const rules = await db
      .select({ id: n.id, eventTypes: n.eventTypes })
      .from(n)
      .where(and(eq(n.orgId, event.orgId), eq(n.projectId, body.projectId)));
    const summary = typeof body.summary === "string" ? body.summary : type;
    return rules
      .filter((rule) => rule.eventTypes.includes(type))
      .map(
        (rule): BatchItem<"sqlite"> =>
          db
            .insert(slackDeliveries)
            .values({
              id: newId("sld", context.now),
              orgId: event.orgId,
              ruleId: rule.id,
              eventId: event.id,
              round: event.round,
              eventType: type,
              summary,
              status: "pending",
              attempts: 0,
              createdAt: context.now,
              updatedAt: context.now,
            })
            .onConflictDoNothing(),
      );
  },
  async pending(db, event) {
    // Only Shifty's own events have Slack deliveries: spare every other event the query.
    if (event.provider !== "shifty") return [];
    const rows = await roundRowsIn(db, slackDeliveries, event, "pending");
    return rows.map((row) => ({ body: slackMessage(row) }));
  },
};

const slackMessage = (delivery: { orgId: string; id: string }): SlackMessage => ({
  kind: "slack",
  orgId: delivery.orgId,
  deliveryId: delivery.id,
});

type Delivery = typeof slackDeliveries.$inferSelect;

/** One attempt: claim, post, record; a failure is queued again on the schedule or ends the delivery. */
export async function deliverSlackOnce(
  msg: SlackMessage,
  message: QueueMessageLike,
  deps: SlackDeliveryDeps,
) {
  const now = deps.now();
  const delivery = await claimDue(deps.db, slackDeliveries, msg, now, LEASE_MS);
  if (!delivery) {
    await waitAgainIfEarly(deps, msg, now);
    message.ack();
    return;
  }
  const [rule] = await deps.db
    .select()
    .from(notificationRules)
    .where(and(eq(notificationRules.orgId, delivery.orgId), eq(notificationRules.id, delivery.ruleId)))
    .limit(1);
  if (!rule) {
    await finish(deps.db, delivery, { status: "cancelled", lastError: "rule deleted" }, now);
    message.ack();
    return;
  }
  const attempt = delivery.attempts + 1;
  let failure: SlackError | null = null;
  try {
    const url = await decryptSecret(deps.encryptionKey, rule.slackUrlSealed, slackSealContext(rule.id));
    await postSlackMessage({ fetch: deps.fetch, allowLoopback: deps.allowLoopback }, url, {
      text: delivery.summary,
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: `*shifty.${delivery.eventType}* — ${delivery.summary}` },
        },
      ],
    });
  } catch (error) {
    if (!(error instanceof SlackError)) throw error;
    failure = error;
  }
  if (!failure) {
    await finish(
      deps.db,
      delivery,
      { status: "succeeded", attempts: attempt, lastStatusCode: 200, lastError: null },
      now,
    );
    message.ack();
    return;
  }
  const permanent = failure.status !== null && PERMANENT.has(failure.status);
  const retryIn = permanent ? null : deliveryRetryDelay(attempt, deps.random, deps.backoffScale);
  deps.logger.warn("slack delivery failed", {
    deliveryId: delivery.id,
    attempt,
    status: failure.status,
    retryIn,
  });
  const outcome = { attempts: attempt, lastStatusCode: failure.status, lastError: failure.message };
  if (retryIn === null) {
    await finish(deps.db, delivery, { status: "failed", ...outcome }, now);
  } else {
    await deps.db
      .update(slackDeliveries)
      .set({
        status: "retrying",
        ...outcome,
        nextAttemptAt: now + retryIn * 1000,
        leaseUntil: null,
        updatedAt: now,
      })
      .where(and(eq(slackDeliveries.orgId, delivery.orgId), eq(slackDeliveries.id, delivery.id)));
    await deps.enqueue([{ body: msg, delaySeconds: Math.min(retryIn, MAX_QUEUE_DELAY_SECONDS) }]);
  }
  message.ack();
}

/** A wait longer than the queue's 12 h cap arrives early: queue it again for the rest. */
async function waitAgainIfEarly(deps: SlackDeliveryDeps, msg: SlackMessage, now: number) {
  const wait = await remainingWait(deps.db, slackDeliveries, msg, now);
  if (wait !== null) await deps.enqueue([{ body: msg, delaySeconds: wait }]);
}

function finish(
  db: Db,
  delivery: Delivery,
  set: Partial<Pick<Delivery, "status" | "attempts" | "lastStatusCode" | "lastError">>,
  now: number,
) {
  return db
    .update(slackDeliveries)
    .set({ ...set, nextAttemptAt: null, leaseUntil: null, completedAt: now, updatedAt: now })
    .where(and(eq(slackDeliveries.orgId, delivery.orgId), eq(slackDeliveries.id, delivery.id)));
}

/** The webhooks-dlq consumer: a Slack message whose queue retries ran out ends its delivery. */
export async function markSlackDeadLettered(db: Db, msg: SlackMessage, now: number) {
  await db
    .update(slackDeliveries)
    .set({ status: "failed", lastError: "dead-lettered", leaseUntil: null, completedAt: now, updatedAt: now })
    .where(
      and(
        eq(slackDeliveries.orgId, msg.orgId),
        eq(slackDeliveries.id, msg.deliveryId),
        inArray(slackDeliveries.status, ["pending", "sending", "retrying"]),
      ),
    );
}

/** For the sweeper: Slack deliveries whose message was lost (as for webhook deliveries). */
export async function stuckSlackDeliveries(db: Db, now: number, before: number, limit: number) {
  return (await stuckDeliveries(db, slackDeliveries, now, before, limit)).map(slackMessage);
}
