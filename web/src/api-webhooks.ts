// Typed calls of the webhook fan-out (workers/routes/webhooks/): inbound sources, outbound endpoints,
// events with their deliveries and attempts, replay and the dead-letter list.
import { enc, json, type Page } from "./api.ts";

export const PROVIDERS = [
  "github",
  "gitlab",
  "jira",
  "figma",
  "datadog",
  "sentry",
  "slack",
  "standard",
] as const;
export const ENVIRONMENTS = ["prod", "stg", "int", "dev"] as const;
export const EVENT_STATUSES = ["received", "processed", "failed", "dead"] as const;
export type Provider = (typeof PROVIDERS)[number];
export type Environment = (typeof ENVIRONMENTS)[number];
export type EventStatus = (typeof EVENT_STATUSES)[number];

export type WebhookSource = {
  id: string;
  provider: Provider;
  name: string;
  environment: Environment | null;
  projectId: string | null;
  url: string;
  createdAt: number;
};
export type WebhookEndpoint = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  environment: Environment | null;
  status: "active" | "disabled";
  disabledReason: string | null;
  disabledAt: number | null;
  consecutiveFailures: number;
  previousSecretExpiresAt: number | null;
  createdAt: number;
  updatedAt: number;
};
export type WebhookEvent = {
  id: string;
  sourceId: string;
  provider: Provider;
  type: string;
  deliveryId: string;
  environment: Environment | null;
  status: EventStatus;
  round: number;
  attempts: number;
  lastError: string | null;
  receivedAt: number;
  processedAt: number | null;
  deadAt: number | null;
};
export type Delivery = {
  id: string;
  endpointId: string;
  round: number;
  status: string;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
};
export type WebhookEventDetail = WebhookEvent & {
  headers: Record<string, string>;
  body: string;
  deliveries: Delivery[];
};
export type WebhookAttempt = {
  id: string;
  kind: "process" | "deliver";
  deliveryId: string | null;
  endpointId: string | null;
  attempt: number;
  outcome: "succeeded" | "failed";
  statusCode: number | null;
  latencyMs: number | null;
  responseSnippet: string | null;
  error: string | null;
  createdAt: number;
};
export type EventFilter = { provider?: Provider; type?: string; env?: Environment; status?: EventStatus };
type Paging = { cursor?: string; limit?: number };

export const webhooksApi = {
  sources: (query: Paging = {}) => json<Page<WebhookSource>>("GET", "/v1/webhook-sources", { query }),
  createSource: (body: { provider: Provider; name: string; environment?: Environment; projectId?: string }) =>
    json<WebhookSource & { secret: string }>("POST", "/v1/webhook-sources", { json: body }),
  deleteSource: (sourceId: string) => json<void>("DELETE", `/v1/webhook-sources/${enc(sourceId)}`),

  endpoints: (query: Paging = {}) => json<Page<WebhookEndpoint>>("GET", "/v1/webhook-endpoints", { query }),
  createEndpoint: (body: {
    url: string;
    eventTypes: string[];
    environment?: Environment;
    description?: string;
  }) => json<WebhookEndpoint & { secret: string }>("POST", "/v1/webhook-endpoints", { json: body }),
  setEndpointEnabled: (endpointId: string, enabled: boolean) =>
    json<WebhookEndpoint>("PATCH", `/v1/webhook-endpoints/${enc(endpointId)}`, { json: { enabled } }),
  rotateEndpointSecret: (endpointId: string, graceSeconds = 86_400) =>
    json<WebhookEndpoint & { secret: string }>(
      "POST",
      `/v1/webhook-endpoints/${enc(endpointId)}/rotate-secret`,
      {
        json: { graceSeconds },
      },
    ),
  deleteEndpoint: (endpointId: string) => json<void>("DELETE", `/v1/webhook-endpoints/${enc(endpointId)}`),

  events: (filter: EventFilter & Paging) =>
    json<Page<WebhookEvent>>("GET", "/v1/webhook-events", { query: filter }),
  deadLetters: (filter: Omit<EventFilter, "status"> & Paging) =>
    json<Page<WebhookEvent>>("GET", "/v1/webhook-dlq", { query: filter }),
  event: (eventId: string) => json<WebhookEventDetail>("GET", `/v1/webhook-events/${enc(eventId)}`),
  attempts: (eventId: string) =>
    json<{ items: WebhookAttempt[] }>("GET", `/v1/webhook-events/${enc(eventId)}/attempts`),
  replay: (eventId: string) =>
    json<{ id: string; round: number; status: "received" }>(
      "POST",
      `/v1/webhook-events/${enc(eventId)}/replay`,
    ),
  bulkReplay: (
    filter: Omit<EventFilter, "status"> & { status?: "dead" | "failed" | "processed"; limit?: number },
  ) => json<{ replayed: number; eventIds: string[] }>("POST", "/v1/webhook-events/replay", { json: filter }),
};
