// Typed calls of the webhook fan-out (workers/routes/webhooks/): inbound sources, outbound endpoints,
// events with their deliveries and attempts, replay and the dead-letter list. The shapes are the
// server's contract (shared/contract/webhooks.ts).
import type {
  BulkReplayed,
  EndpointDeliveryPage,
  Environment,
  EventListQuery,
  EventStatus,
  WebhookProvider as Provider,
  Replayed,
  WebhookAttempt,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookEvent,
  WebhookEventDetail,
  WebhookSource,
  WebhookSourceCreated,
  WebhookTestDelivery,
} from "../../shared/contract/webhooks.ts";
import { enc, json, type Page, type Paging } from "./api.ts";
import { everyOf } from "./every-of.ts";

export type {
  EndpointDelivery,
  WebhookDelivery as Delivery,
} from "../../shared/contract/webhooks.ts";
export type {
  EndpointDeliveryPage,
  Environment,
  EventStatus,
  Provider,
  WebhookAttempt,
  WebhookEndpoint,
  WebhookEvent,
  WebhookEventDetail,
  WebhookSource,
  WebhookTestDelivery,
};

// Values for pickers: every member of the contract's enum (every-of.ts).
export const PROVIDERS = everyOf<Provider>()([
  "github",
  "gitlab",
  "jira",
  "figma",
  "datadog",
  "sentry",
  "slack",
  "standard",
]);
/** Events come from the sources' providers and from Shifty itself (`shifty.gate.failed`, …). */
export const EVENT_PROVIDERS = everyOf<NonNullable<EventListQuery["provider"]>>()([...PROVIDERS, "shifty"]);
export const ENVIRONMENTS = everyOf<Environment>()(["prod", "stg", "int", "dev"]);
export const EVENT_STATUSES = everyOf<EventStatus>()(["received", "processed", "failed", "dead"]);

export type EventFilter = Pick<EventListQuery, "provider" | "type" | "env" | "status">;

/** How the dashboard names an endpoint: its description, else its URL without the scheme. */
export function endpointName(endpoint: Pick<WebhookEndpoint, "description" | "url">): string {
  return endpoint.description?.trim() || endpoint.url.replace(/^https?:\/\//, "");
}

export const webhooksApi = {
  sources: (query: Paging = {}) => json<Page<WebhookSource>>("GET", "/v1/webhook-sources", { query }),
  createSource: (body: { provider: Provider; name: string; environment?: Environment; projectId?: string }) =>
    json<WebhookSourceCreated>("POST", "/v1/webhook-sources", { json: body }),
  deleteSource: (sourceId: string) => json<void>("DELETE", `/v1/webhook-sources/${enc(sourceId)}`),

  endpoints: (query: Paging = {}) => json<Page<WebhookEndpoint>>("GET", "/v1/webhook-endpoints", { query }),
  createEndpoint: (body: {
    url: string;
    eventTypes: string[];
    environment?: Environment;
    description?: string;
  }) => json<WebhookEndpointWithSecret>("POST", "/v1/webhook-endpoints", { json: body }),
  endpoint: (endpointId: string) => json<WebhookEndpoint>("GET", `/v1/webhook-endpoints/${enc(endpointId)}`),
  /** The endpoint's deliveries, newest first, with counts over all of them (the endpoint page). */
  endpointDeliveries: (endpointId: string, query: Paging = {}) =>
    json<EndpointDeliveryPage>("GET", webhooksApi.endpointDeliveriesPath(endpointId), { query }),
  endpointDeliveriesPath: (endpointId: string) => `/v1/webhook-endpoints/${enc(endpointId)}/deliveries`,
  setEndpointEnabled: (endpointId: string, enabled: boolean) =>
    json<WebhookEndpoint>("PATCH", `/v1/webhook-endpoints/${enc(endpointId)}`, { json: { enabled } }),
  rotateEndpointSecret: (endpointId: string, graceSeconds = 86_400) =>
    json<WebhookEndpointWithSecret>("POST", `/v1/webhook-endpoints/${enc(endpointId)}/rotate-secret`, {
      json: { graceSeconds },
    }),
  deleteEndpoint: (endpointId: string) => json<void>("DELETE", `/v1/webhook-endpoints/${enc(endpointId)}`),
  /** Sends a signed `shifty.test` event now; answers with the delivery after its first attempt. */
  testEndpoint: (endpointId: string) =>
    json<WebhookTestDelivery>("POST", `/v1/webhook-endpoints/${enc(endpointId)}/test`),

  events: (filter: EventFilter & Paging) =>
    json<Page<WebhookEvent>>("GET", webhooksApi.eventsPath, { query: filter }),
  /** The event list's and an event's URLs, for useChangePoll (both answer with ETags). */
  eventsPath: "/v1/webhook-events",
  eventPath: (eventId: string) => `/v1/webhook-events/${enc(eventId)}`,
  deadLetters: (filter: Omit<EventFilter, "status"> & Paging) =>
    json<Page<WebhookEvent>>("GET", "/v1/webhook-dlq", { query: filter }),
  event: (eventId: string) => json<WebhookEventDetail>("GET", webhooksApi.eventPath(eventId)),
  attempts: (eventId: string) =>
    json<{ items: WebhookAttempt[] }>("GET", `/v1/webhook-events/${enc(eventId)}/attempts`),
  replay: (eventId: string) => json<Replayed>("POST", `/v1/webhook-events/${enc(eventId)}/replay`),
  bulkReplay: (
    filter: Omit<EventFilter, "status"> & { status?: "dead" | "failed" | "processed"; limit?: number },
  ) => json<BulkReplayed>("POST", "/v1/webhook-events/replay", { json: filter }),
};
