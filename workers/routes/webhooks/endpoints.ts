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
import type { Services } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { deliveryDepsOf } from "../../queues/webhooks.ts";
import { routeGroup } from "../../route.ts";
import { toDelivery } from "./events.ts";

const params = idParam("endpointId", "whe");
const endpoints = routeGroup({ tags: ["Webhook endpoints"], permission: "webhooks:manage" });

/** Loopback URLs only in local development, and only when ALLOW_LOOPBACK_WEBHOOKS says so. */
function endpointDeps({ db, config, clock }: Services): EndpointDeps {
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

endpoints.answer(createEndpointRoute, async function createEndpointHandler({ services, orgId, audit, json }) {
  const { endpoint, secret } = await createEndpoint(endpointDeps(services), orgId, audit, json);
  return { ...toEndpoint(endpoint), secret };
});

const listEndpointsRoute = endpoints.get("/webhook-endpoints", {
  summary: "List webhook endpoints",
  permission: "webhooks:read",
  request: { query: pageQuerySchema },
  responses: {
    200: jsonContent(pageOf(webhookEndpointSchema), "A page of endpoints"),
  },
});

endpoints.answer(listEndpointsRoute, async function listEndpointsHandler({ db, orgId, query }) {
  return mapPage(await listEndpoints(db, orgId, query), toEndpoint);
});

const getEndpointRoute = endpoints.get("/webhook-endpoints/{endpointId}", {
  summary: "Get a webhook endpoint",
  permission: "webhooks:read",
  request: { params },
  responses: { 200: jsonContent(webhookEndpointSchema, "The endpoint") },
});

endpoints.answer(getEndpointRoute, async function getEndpointHandler({ db, orgId, param }) {
  return toEndpoint(await requireEndpoint(db, orgId, param.endpointId));
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

endpoints.answer(
  updateEndpointRoute,
  async function updateEndpointHandler({ services, orgId, audit, param, json }) {
    return toEndpoint(await updateEndpoint(endpointDeps(services), orgId, audit, param.endpointId, json));
  },
);

const rotateSecretRoute = endpoints.post("/webhook-endpoints/{endpointId}/rotate-secret", {
  summary: "Rotate the signing secret; the old one keeps signing for the grace period",
  request: { params, body: jsonBody(rotateEndpointSecretSchema) },
  responses: {
    200: jsonContent(webhookEndpointWithSecretSchema, "The endpoint and its new secret (shown once)"),
  },
});

endpoints.answer(
  rotateSecretRoute,
  async function rotateSecretHandler({ services, orgId, audit, param, json }) {
    const deps = endpointDeps(services);
    const { endpoint, secret } = await rotateEndpointSecret(deps, orgId, audit, param.endpointId, json);
    return { ...toEndpoint(endpoint), secret };
  },
);

const deleteEndpointRoute = endpoints.delete("/webhook-endpoints/{endpointId}", {
  summary: "Delete a webhook endpoint (pending deliveries are cancelled)",
  request: { params },
  responses: { 204: { description: "Deleted" } },
});

endpoints.answer(deleteEndpointRoute, function deleteEndpointHandler({ db, orgId, audit, param }) {
  return deleteEndpoint(db, orgId, audit, param.endpointId);
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

endpoints.answer(testEndpointRoute, function testEndpointHandler({ services, orgId, param }) {
  return sendTestEvent(deliveryDepsOf(services), orgId, param.endpointId);
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
