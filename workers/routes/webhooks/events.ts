import {
  bulkReplayedSchema,
  bulkReplaySchema,
  type EventListQuery,
  eventListQuerySchema,
  replayedSchema,
  type WebhookDelivery,
  type WebhookEvent,
  webhookAttemptListSchema,
  webhookEventDetailSchema,
  webhookEventSchema,
} from "../../../shared/contract/webhooks.ts";
import type { Db } from "../../../shared/db/client.ts";
import { mapPage } from "../../../shared/pagination.ts";
import {
  countDeliveries,
  type DeliveryCounts,
  displayStatus,
  getEventWithDeliveries,
  listAttempts,
  listEvents,
  type WebhookDeliveryRow,
  type WebhookEventRow,
} from "../../../shared/webhooks/events.ts";
import { replayEvent, replayEvents } from "../../../shared/webhooks/lifecycle.ts";
import { jsonWithEtag, notModifiedResponse } from "../../etag.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const params = idParam("eventId", "evt");
const events = routeGroup({ tags: ["Webhook events"], permission: "webhooks:read" });

const listEventsRoute = events.get("/webhook-events", {
  summary: "List inbound events (filter by provider, type, env, status, source)",
  description:
    "Answers with an ETag; a request whose If-None-Match names it gets 304 (the dashboard polls this).",
  request: { query: eventListQuerySchema },
  responses: {
    200: jsonContent(pageOf(webhookEventSchema), "A page of events, newest first"),
    ...notModifiedResponse,
  },
});

/** A page of events as the API shows them, each with its current round's delivery counts. */
async function eventPageOf(db: Db, orgId: string, query: EventListQuery) {
  return mapPage(await listEvents(db, orgId, query), (row) => toEvent(row, row));
}

events.handle(listEventsRoute, async function listEventsHandler(c) {
  return jsonWithEtag(c, await eventPageOf(c.get("services").db, orgIdOf(c), c.req.valid("query")));
});

const deadLettersRoute = events.get("/webhook-dlq", {
  summary: "Dead-lettered events (retries exhausted); replay them one by one or in bulk",
  request: { query: eventListQuerySchema.omit({ status: true }) },
  responses: {
    200: jsonContent(pageOf(webhookEventSchema), "A page of dead events, newest first"),
  },
});

events.answer(deadLettersRoute, function deadLettersHandler({ db, orgId, query }) {
  return eventPageOf(db, orgId, { ...query, status: "dead" });
});

const getEventRoute = events.get("/webhook-events/{eventId}", {
  summary: "Get an event with its headers, body and outbound deliveries",
  description: "Answers with an ETag; a request whose If-None-Match names it gets 304.",
  request: { params },
  responses: { 200: jsonContent(webhookEventDetailSchema, "The event"), ...notModifiedResponse },
});

events.handle(getEventRoute, async function getEventHandler(c) {
  const { eventId } = c.req.valid("param");
  const { event, deliveries } = await getEventWithDeliveries(c.get("services").db, orgIdOf(c), eventId);
  return jsonWithEtag(c, {
    ...toEvent(event, countDeliveries(event.round, deliveries)),
    headers: event.headers,
    body: event.body,
    deliveries: deliveries.map(toDelivery),
  });
});

const listAttemptsRoute = events.get("/webhook-events/{eventId}/attempts", {
  summary: "Every processing and delivery attempt of an event, oldest first",
  request: { params },
  responses: {
    200: jsonContent(webhookAttemptListSchema, "Attempts"),
  },
});

events.answer(listAttemptsRoute, async function listAttemptsHandler({ db, orgId, param }) {
  const rows = await listAttempts(db, orgId, param.eventId);
  return { items: rows.map(({ orgId: _o, eventId: _e, ...rest }) => rest) };
});

const replayEventRoute = events.post("/webhook-events/{eventId}/replay", {
  summary: "Replay an event: handlers run again (idempotently) and subscribed endpoints get it again",
  permission: "webhooks:manage",
  request: { params },
  responses: { 202: jsonContent(replayedSchema, "Queued again") },
});

events.answer(replayEventRoute, async function replayEventHandler({ services, orgId, audit, param }) {
  const replayed = await replayEvent(services, orgId, audit, param.eventId);
  return { ...replayed, status: "received" as const };
});

const bulkReplayRoute = events.post("/webhook-events/replay", {
  summary: "Bulk replay by filter (dead events by default)",
  permission: "webhooks:manage",
  request: { body: jsonBody(bulkReplaySchema) },
  responses: { 202: jsonContent(bulkReplayedSchema, "Queued again") },
});

events.answer(bulkReplayRoute, async function bulkReplayHandler({ services, orgId, audit, json }) {
  const replayed = await replayEvents(services, orgId, audit, json);
  return { replayed: replayed.length, eventIds: replayed.map((e) => e.id) };
});

export const registerWebhookEventRoutes = (app: Router) => events.register(app);

function toEvent(row: WebhookEventRow, counts: DeliveryCounts): WebhookEvent {
  return {
    id: row.id,
    sourceId: row.sourceId,
    provider: row.provider,
    type: row.type,
    deliveryId: row.deliveryId,
    environment: row.environment,
    status: row.status,
    displayStatus: displayStatus(row.status, counts),
    round: row.round,
    attempts: row.attempts,
    lastError: row.lastError,
    receivedAt: row.receivedAt,
    processedAt: row.processedAt,
    deadAt: row.deadAt,
  };
}

/** A delivery as the API shows it (no lease or org bookkeeping). */
export function toDelivery(d: WebhookDeliveryRow & { lastResponseSnippet: string | null }): WebhookDelivery {
  return {
    id: d.id,
    endpointId: d.endpointId,
    round: d.round,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastResponseSnippet: d.lastResponseSnippet,
    createdAt: d.createdAt,
  };
}
