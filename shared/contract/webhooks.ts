import { z } from "zod";
import { ENVIRONMENTS, EVENT_PROVIDERS, EVENT_STATUSES, WEBHOOK_PROVIDERS } from "../db/schema/webhooks.ts";
import { pageQuerySchema } from "../pagination.ts";
import { EVENT_TYPE_PATTERN } from "../webhooks/routing.ts";
import { rotationGraceSeconds, timestamps } from "./common.ts";

/**
 * The webhooks API's request and response shapes (docs/webhooks.md): inbound sources, outbound
 * endpoints, events with their deliveries and attempts, replay, and the public receiver's answers.
 */

export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];
export type Environment = (typeof ENVIRONMENTS)[number];
export type EventStatus = (typeof EVENT_STATUSES)[number];

// Sources (inbound)

export const webhookSourceSchema = z
  .object({
    id: z.string(),
    provider: z.enum(WEBHOOK_PROVIDERS),
    name: z.string(),
    environment: z.enum(ENVIRONMENTS).nullable(),
    projectId: z.string().nullable(),
    url: z.string().describe("Path of the public ingest URL: /hooks/{id}"),
    createdAt: z.number().int(),
  })
  .meta({ id: "WebhookSource" });
export type WebhookSource = z.infer<typeof webhookSourceSchema>;

export const webhookSourceCreatedSchema = webhookSourceSchema
  .extend({
    secret: z.string().describe("Shown once. Configure it in the provider; Shifty keeps it encrypted"),
  })
  .meta({ id: "WebhookSourceCreated" });
export type WebhookSourceCreated = z.infer<typeof webhookSourceCreatedSchema>;

/** Standard Webhooks secrets are `whsec_` + base64 of 24–64 bytes (the spec's range). */
const STANDARD_SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export const createSourceSchema = z
  .strictObject({
    provider: z.enum(WEBHOOK_PROVIDERS),
    name: z.string().trim().min(1).max(100),
    secret: z.string().min(16).max(256).optional().describe("Generated when omitted"),
    environment: z.enum(ENVIRONMENTS).optional().describe("Default environment of this source's events"),
    projectId: z
      .string()
      .regex(/^prj_[0-9a-z]{26}$/)
      .optional(),
  })
  .refine((b) => b.provider !== "standard" || b.secret === undefined || STANDARD_SECRET.test(b.secret), {
    path: ["secret"],
    error: "a Standard Webhooks secret looks like whsec_<base64 of 24–64 bytes>",
  });
export type CreateSourceRequest = z.infer<typeof createSourceSchema>;

// Endpoints (outbound)

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    environment: z.enum(ENVIRONMENTS).nullable(),
    status: z.enum(["active", "disabled"]),
    disabledReason: z.string().nullable(),
    disabledAt: z.number().int().nullable(),
    consecutiveFailures: z.number().int(),
    previousSecretExpiresAt: z.number().int().nullable(),
    ...timestamps,
  })
  .meta({ id: "WebhookEndpoint" });
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({ secret: z.string().describe("whsec_… Standard Webhooks signing secret; shown once") })
  .meta({ id: "WebhookEndpointWithSecret" });
export type WebhookEndpointWithSecret = z.infer<typeof webhookEndpointWithSecretSchema>;

const eventTypesSchema = z
  .array(
    z
      .string()
      .max(128)
      .regex(EVENT_TYPE_PATTERN, { error: "use `*`, `<provider>.*` or `<provider>.<type>`" }),
  )
  .min(1)
  .max(50);

export const createEndpointSchema = z.strictObject({
  url: z.string().max(2048),
  eventTypes: eventTypesSchema,
  environment: z.enum(ENVIRONMENTS).optional(),
  description: z.string().max(500).optional(),
});
export type CreateEndpointRequest = z.infer<typeof createEndpointSchema>;

export const updateEndpointSchema = z.strictObject({
  url: z.string().max(2048).optional(),
  eventTypes: eventTypesSchema.optional(),
  environment: z.enum(ENVIRONMENTS).nullable().optional(),
  description: z.string().max(500).nullable().optional(),
  enabled: z
    .boolean()
    .optional()
    .describe("true re-enables a disabled endpoint and resets its circuit breaker"),
});
export type UpdateEndpointRequest = z.infer<typeof updateEndpointSchema>;

export const rotateEndpointSecretSchema = z.strictObject({
  graceSeconds: rotationGraceSeconds(7 * 86_400).describe(
    "How long deliveries are also signed with the old secret",
  ),
});
export type RotateEndpointSecretRequest = z.infer<typeof rotateEndpointSecretSchema>;

// Events, deliveries, attempts

export const webhookEventSchema = z
  .object({
    id: z.string(),
    sourceId: z.string(),
    provider: z.enum(EVENT_PROVIDERS),
    type: z.string(),
    deliveryId: z.string().describe("The provider's delivery id (or sha256:<body hash>)"),
    environment: z.enum(ENVIRONMENTS).nullable(),
    status: z.enum(EVENT_STATUSES),
    displayStatus: z
      .enum([...EVENT_STATUSES, "failing"])
      .describe(
        "status, except a processed event whose every delivery of the current round failed (or is retrying after a failure) is `failing`",
      ),
    round: z.number().int().describe("0, then +1 per replay"),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    receivedAt: z.number().int(),
    processedAt: z.number().int().nullable(),
    deadAt: z.number().int().nullable(),
  })
  .meta({ id: "WebhookEvent" });
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  round: z.number().int(),
  status: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: z.number().int().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastResponseSnippet: z.string().nullable().describe("The start of the latest attempt's response body"),
  createdAt: z.number().int(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const endpointDeliverySchema = webhookDeliverySchema
  .extend({ eventId: z.string(), eventType: z.string() })
  .meta({ id: "WebhookEndpointDelivery" });
export type EndpointDelivery = z.infer<typeof endpointDeliverySchema>;

export const endpointDeliveryPageSchema = z
  .object({
    items: z.array(endpointDeliverySchema),
    nextCursor: z.string().nullable(),
    stats: z
      .object({
        total: z.number().int(),
        succeeded: z.number().int(),
        failed: z.number().int(),
        successRate: z
          .number()
          .nullable()
          .describe("succeeded / (succeeded + failed); null before any outcome"),
      })
      .describe("Over every delivery to the endpoint, not only this page"),
  })
  .meta({ id: "WebhookEndpointDeliveryPage" });
export type EndpointDeliveryPage = z.infer<typeof endpointDeliveryPageSchema>;

export const webhookEventDetailSchema = webhookEventSchema
  .extend({
    headers: z.record(z.string(), z.string()),
    body: z.string(),
    deliveries: z.array(webhookDeliverySchema),
  })
  .meta({ id: "WebhookEventDetail" });
export type WebhookEventDetail = z.infer<typeof webhookEventDetailSchema>;

/** `POST /v1/webhook-endpoints/{id}/test`: the test delivery after its first attempt (docs/webhooks.md). */
export const webhookTestDeliverySchema = z
  .object({
    eventId: z.string(),
    deliveryId: z.string().describe("Also the `webhook-id` header the endpoint received"),
    type: z.literal("shifty.test"),
    status: z
      .enum(["succeeded", "retrying", "failed"])
      .describe("After the first attempt: `retrying` means the queue tries again on the usual schedule"),
    statusCode: z.number().int().nullable().describe("The endpoint's HTTP status; null when none came"),
    responseSnippet: z.string().nullable().describe("The first KiB of the endpoint's answer"),
    error: z.string().nullable(),
    latencyMs: z.number().int().nullable(),
    nextAttemptAt: z.number().int().nullable(),
  })
  .meta({ id: "WebhookTestDelivery" });
export type WebhookTestDelivery = z.infer<typeof webhookTestDeliverySchema>;

export const webhookAttemptSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["process", "deliver"]),
    deliveryId: z.string().nullable(),
    endpointId: z.string().nullable(),
    attempt: z.number().int(),
    outcome: z.enum(["succeeded", "failed"]),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    responseSnippet: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .meta({ id: "WebhookAttempt" });
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const webhookAttemptListSchema = z.object({ items: z.array(webhookAttemptSchema) });

const eventFilterFields = {
  provider: z.enum(EVENT_PROVIDERS).optional(),
  type: z.string().max(128).optional(),
  env: z.enum(ENVIRONMENTS).optional(),
  sourceId: z
    .string()
    .regex(/^src_[0-9a-z]{26}$/)
    .optional(),
};

export const eventListQuerySchema = pageQuerySchema.extend({
  ...eventFilterFields,
  status: z.enum(EVENT_STATUSES).optional(),
});
export type EventListQuery = z.infer<typeof eventListQuerySchema>;

/** The filter both the list and bulk replay narrow events by. */
export type EventFilter = Pick<EventListQuery, "provider" | "type" | "env" | "sourceId" | "status">;

// Replay

export const bulkReplaySchema = z.strictObject({
  ...eventFilterFields,
  status: z.enum(["dead", "failed", "processed"]).default("dead"),
  receivedAfter: z.number().int().min(0).optional(),
  receivedBefore: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type BulkReplayRequest = z.infer<typeof bulkReplaySchema>;

export const replayedSchema = z.object({
  id: z.string(),
  round: z.number().int(),
  status: z.literal("received"),
});
export type Replayed = z.infer<typeof replayedSchema>;

export const bulkReplayedSchema = z.object({ replayed: z.number().int(), eventIds: z.array(z.string()) });
export type BulkReplayed = z.infer<typeof bulkReplayedSchema>;

// The public receiver (POST /hooks/{sourceId})

export const webhookAcceptedSchema = z
  .object({ id: z.string(), duplicate: z.literal(false) })
  .meta({ id: "WebhookAccepted" });
export type WebhookAccepted = z.infer<typeof webhookAcceptedSchema>;

export const webhookDuplicateSchema = z
  .object({ duplicate: z.literal(true) })
  .meta({ id: "WebhookDuplicate" });
export type WebhookDuplicate = z.infer<typeof webhookDuplicateSchema>;
