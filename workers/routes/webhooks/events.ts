import type { Context } from "hono";
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
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
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
async function eventPageOf(c: Context<HonoEnv>, query: EventListQuery) {
  return mapPage(await listEvents(c.get("services").db, orgIdOf(c), query), (row) => toEvent(row, row));
}

events.handle(listEventsRoute, async function listEventsHandler(c) {
  return jsonWithEtag(c, await eventPageOf(c, c.req.valid("query")));
});

const deadLettersRoute = events.get("/webhook-dlq", {
  summary: "Dead-lettered events (retries exhausted); replay them one by one or in bulk",
  request: { query: eventListQuerySchema.omit({ status: true }) },
  responses: {
    200: jsonContent(pageOf(webhookEventSchema), "A page of dead events, newest first"),
  },
});

events.handle(deadLettersRoute, async function deadLettersHandler(c) {
  return c.json(await eventPageOf(c, { ...c.req.valid("query"), status: "dead" }), 200);
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

events.handle(listAttemptsRoute, async function listAttemptsHandler(c) {
  const rows = await listAttempts(c.get("services").db, orgIdOf(c), c.req.valid("param").eventId);
  return c.json({ items: rows.map(({ orgId: _o, eventId: _e, ...rest }) => rest) }, 200);
});

const replayEventRoute = events.post("/webhook-events/{eventId}/replay", {
  summary: "Replay an event: handlers run again (idempotently) and subscribed endpoints get it again",
  permission: "webhooks:manage",
  request: { params },
  responses: { 202: jsonContent(replayedSchema, "Queued again") },
});

events.handle(replayEventRoute, async function replayEventHandler(c) {
  const { eventId } = c.req.valid("param");
  const replayed = await replayEvent(c.get("services"), orgIdOf(c), auditContext(c), eventId);
  return c.json({ ...replayed, status: "received" as const }, 202);
});

const bulkReplayRoute = events.post("/webhook-events/replay", {
  summary: "Bulk replay by filter (dead events by default)",
  permission: "webhooks:manage",
  request: { body: jsonBody(bulkReplaySchema) },
  responses: { 202: jsonContent(bulkReplayedSchema, "Queued again") },
});

events.handle(bulkReplayRoute, async function bulkReplayHandler(c) {
  const replayed = await replayEvents(c.get("services"), orgIdOf(c), auditContext(c), c.req.valid("json"));
  return c.json({ replayed: replayed.length, eventIds: replayed.map((e) => e.id) }, 202);
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
