import { and, desc, eq } from "drizzle-orm";
import type { WebhookTestDelivery } from "../contract/webhooks.ts";
import { webhookAttempts, webhookDeliveries, webhookEvents } from "../db/schema/webhooks.ts";
import { ApiError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { type DeliveryDeps, deliverOnce } from "./delivery.ts";
import { requireEndpoint } from "./endpoints.ts";
import { deliverMessage, type QueueMessageLike } from "./message.ts";

/**
 * "Send test event" (docs/webhooks.md): a signed `shifty.test` to one endpoint through the normal
 * delivery path — an event row and a delivery row, then one attempt made now by the same code the queue
 * consumer runs (claim, SSRF guard, Standard Webhooks signature, attempt log, circuit breaker, retry
 * schedule). The event is stored already processed, so it fans out to no other endpoint, now or when
 * the sweeper looks for stuck events.
 */

/** The attempt runs inside the request: there is no queue message to ack. */
const inline: QueueMessageLike = { body: null, attempts: 1, ack() {}, retry() {} };

export async function sendTestEvent(
  deps: DeliveryDeps,
  orgId: string,
  endpointId: string,
): Promise<WebhookTestDelivery> {
  const { db } = deps;
  const endpoint = await requireEndpoint(db, orgId, endpointId);
  if (endpoint.status !== "active") {
    throw new ApiError("conflict", "The endpoint is disabled; enable it before sending a test event");
  }
  const now = deps.now();
  const eventId = newId("evt", now);
  const deliveryId = newId("dlv", now);
  const body = JSON.stringify({
    type: "shifty.test",
    projectId: null,
    summary: "A test event from Shifty",
    data: { endpointId, sentAt: now },
  });
  await db.batch([
    db.insert(webhookEvents).values({
      id: eventId,
      orgId,
      sourceId: "shifty",
      provider: "shifty",
      type: "test",
      deliveryId: `${orgId}:test:${eventId}`,
      environment: null,
      headers: {},
      body,
      status: "processed",
      round: 0,
      attempts: 0,
      receivedAt: now,
      enqueuedAt: now,
      processedAt: now,
      updatedAt: now,
    }),
    db.insert(webhookDeliveries).values({
      id: deliveryId,
      orgId,
      endpointId,
      eventId,
      round: 0,
      status: "pending",
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    }),
  ]);
  await deliverOnce(deliverMessage({ orgId, id: deliveryId }), inline, deps);
  return testDeliveryOf(deps, orgId, eventId, deliveryId);
}

async function testDeliveryOf(
  deps: DeliveryDeps,
  orgId: string,
  eventId: string,
  deliveryId: string,
): Promise<WebhookTestDelivery> {
  const d = webhookDeliveries;
  const a = webhookAttempts;
  const [[delivery], [attempt]] = await Promise.all([
    deps.db
      .select()
      .from(d)
      .where(and(eq(d.orgId, orgId), eq(d.id, deliveryId)))
      .limit(1),
    deps.db
      .select()
      .from(a)
      .where(and(eq(a.orgId, orgId), eq(a.deliveryId, deliveryId)))
      .orderBy(desc(a.id))
      .limit(1),
  ]);
  // Gone only when the endpoint was deleted meanwhile (its deliveries go with it): a 404, not a 500.
  if (!delivery) throw notFound("Webhook endpoint");
  const status =
    delivery.status === "succeeded" || delivery.status === "retrying" ? delivery.status : "failed";
  return {
    eventId,
    deliveryId,
    type: "shifty.test",
    status,
    statusCode: attempt?.statusCode ?? null,
    responseSnippet: attempt?.responseSnippet ?? null,
    error: attempt?.error ?? delivery.lastError,
    latencyMs: attempt?.latencyMs ?? null,
    nextAttemptAt: delivery.nextAttemptAt,
  };
}
