import type { Context } from "hono";
import {
  createEndpointSchema,
  endpointDeliveryPageSchema,
  rotateEndpointSecretSchema,
  updateEndpointSchema,
  type WebhookEndpoint,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
  webhookTestDeliverySchema,
} from "../../../shared/contract/webhooks.ts";
import { mapPage, pageQuerySchema } from "../../../shared/pagination.ts";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointDeps,
  listEndpoints,
  requireEndpoint,
  rotateEndpointSecret,
  updateEndpoint,
  type WebhookEndpointRow,
} from "../../../shared/webhooks/endpoints.ts";
import { listEndpointDeliveries } from "../../../shared/webhooks/events.ts";
import { sendTestEvent } from "../../../shared/webhooks/test-event.ts";
import { jsonWithEtag, notModifiedResponse } from "../../etag.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { deliveryDepsOf } from "../../queues/webhooks.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { toDelivery } from "./events.ts";

const params = idParam("endpointId", "whe");
const endpoints = routeGroup({ tags: ["Webhook endpoints"], permission: "webhooks:manage" });

/** Loopback URLs only in local development, and only when ALLOW_LOOPBACK_WEBHOOKS says so. */
function endpointDeps(c: Context<HonoEnv>): EndpointDeps {
  const { db, config, clock } = c.get("services");
  return {
    db,
    encryptionKey: config.encryptionKey,
    allowLoopback: config.allowLoopbackWebhooks && config.appEnv === "development",
    now: clock(),
  };
}

const createEndpointRoute = endpoints.post("/webhook-endpoints", {
  errors: [422],
  summary: "Subscribe an endpoint to events (signed per Standard Webhooks)",
  request: { body: jsonBody(createEndpointSchema) },
  responses: {
    201: jsonContent(webhookEndpointWithSecretSchema, "The endpoint and its signing secret (shown once)"),
  },
});

endpoints.handle(createEndpointRoute, async function createEndpointHandler(c) {
  const { endpoint, secret } = await createEndpoint(
    endpointDeps(c),
    orgIdOf(c),
    auditContext(c),
    c.req.valid("json"),
  );
  return c.json({ ...toEndpoint(endpoint), secret }, 201);
});

const listEndpointsRoute = endpoints.get("/webhook-endpoints", {
  summary: "List webhook endpoints",
  permission: "webhooks:read",
  request: { query: pageQuerySchema },
  responses: {
    200: jsonContent(pageOf(webhookEndpointSchema), "A page of endpoints"),
  },
});

endpoints.handle(listEndpointsRoute, async function listEndpointsHandler(c) {
  const page = await listEndpoints(c.get("services").db, orgIdOf(c), c.req.valid("query"));
  return c.json(mapPage(page, toEndpoint), 200);
});

const getEndpointRoute = endpoints.get("/webhook-endpoints/{endpointId}", {
  summary: "Get a webhook endpoint",
  permission: "webhooks:read",
  request: { params },
  responses: { 200: jsonContent(webhookEndpointSchema, "The endpoint") },
});

endpoints.handle(getEndpointRoute, async function getEndpointHandler(c) {
  const { endpointId } = c.req.valid("param");
  const endpoint = await requireEndpoint(c.get("services").db, orgIdOf(c), endpointId);
  return c.json(toEndpoint(endpoint), 200);
});

const endpointDeliveriesRoute = endpoints.get("/webhook-endpoints/{endpointId}/deliveries", {
  summary: "The endpoint's deliveries, newest first, with its success rate",
  description: "Answers with an ETag; a request whose If-None-Match names it gets 304.",
  permission: "webhooks:read",
  request: { params, query: pageQuerySchema },
  responses: {
    200: jsonContent(endpointDeliveryPageSchema, "A page of deliveries and counts over all of them"),
    ...notModifiedResponse,
  },
});

endpoints.handle(endpointDeliveriesRoute, async function endpointDeliveriesHandler(c) {
  const { endpointId } = c.req.valid("param");
  const { db } = c.get("services");
  const endpoint = await requireEndpoint(db, orgIdOf(c), endpointId);
  const page = await listEndpointDeliveries(db, endpoint.orgId, endpoint.id, c.req.valid("query"));
  return jsonWithEtag(c, {
    ...page,
    items: page.items.map((d) => ({ ...toDelivery(d), eventId: d.eventId, eventType: d.eventType })),
  });
});

const updateEndpointRoute = endpoints.patch("/webhook-endpoints/{endpointId}", {
  errors: [422],
  summary: "Update, disable or re-enable a webhook endpoint",
  request: { params, body: jsonBody(updateEndpointSchema) },
  responses: {
    200: jsonContent(webhookEndpointSchema, "The updated endpoint"),
  },
});

endpoints.handle(updateEndpointRoute, async function updateEndpointHandler(c) {
  const { endpointId } = c.req.valid("param");
  const patch = c.req.valid("json");
  const endpoint = await updateEndpoint(endpointDeps(c), orgIdOf(c), auditContext(c), endpointId, patch);
  return c.json(toEndpoint(endpoint), 200);
});

const rotateSecretRoute = endpoints.post("/webhook-endpoints/{endpointId}/rotate-secret", {
  summary: "Rotate the signing secret; the old one keeps signing for the grace period",
  request: { params, body: jsonBody(rotateEndpointSecretSchema) },
  responses: {
    200: jsonContent(webhookEndpointWithSecretSchema, "The endpoint and its new secret (shown once)"),
  },
});

endpoints.handle(rotateSecretRoute, async function rotateSecretHandler(c) {
  const { endpointId } = c.req.valid("param");
  const body = c.req.valid("json");
  const { endpoint, secret } = await rotateEndpointSecret(
    endpointDeps(c),
    orgIdOf(c),
    auditContext(c),
    endpointId,
    body,
  );
  return c.json({ ...toEndpoint(endpoint), secret }, 200);
});

const deleteEndpointRoute = endpoints.delete("/webhook-endpoints/{endpointId}", {
  summary: "Delete a webhook endpoint (pending deliveries are cancelled)",
  request: { params },
  responses: { 204: { description: "Deleted" } },
});

endpoints.handle(deleteEndpointRoute, async function deleteEndpointHandler(c) {
  const { endpointId } = c.req.valid("param");
  await deleteEndpoint(c.get("services").db, orgIdOf(c), auditContext(c), endpointId);
  return c.body(null, 204);
});

/** Each test send makes an outbound request: it costs this many tokens of the `default` policy. */
const TEST_SEND_COST = 10;

const testEndpointRoute = endpoints.post("/webhook-endpoints/{endpointId}/test", {
  rate: { policy: "default", cost: TEST_SEND_COST },
  errors: [409],
  summary: "Send a signed shifty.test event to the endpoint now and return the delivery",
  description:
    "The event goes through the normal delivery path (signature, SSRF guard, attempt log, circuit " +
    "breaker); the first attempt is made before answering, a failed one is retried by the queue on " +
    `the usual schedule. Costs ${TEST_SEND_COST} tokens of the \`default\` rate-limit policy; 409 when the endpoint is disabled.`,
  request: { params },
  responses: { 200: jsonContent(webhookTestDeliverySchema, "The delivery after its first attempt") },
});

endpoints.handle(testEndpointRoute, async function testEndpointHandler(c) {
  const { endpointId } = c.req.valid("param");
  const delivery = await sendTestEvent(deliveryDepsOf(c.get("services")), orgIdOf(c), endpointId);
  return c.json(delivery, 200);
});

export const registerWebhookEndpointRoutes = (app: Router) => endpoints.register(app);

/** The endpoint without its sealed secrets and breaker bookkeeping. */
function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    environment: row.environment,
    status: row.status,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt,
    consecutiveFailures: row.consecutiveFailures,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
