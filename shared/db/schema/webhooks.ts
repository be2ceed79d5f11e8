import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  commitRef,
  createdAt,
  eventDelivery,
  eventDeliveryIndexes,
  orgRow,
  providerRecord,
  sourceSync,
  timestamps,
} from "./columns.ts";

/**
 * Webhook fan-out (docs/webhooks.md): inbound sources and their events, outbound endpoints, deliveries and
 * attempt logs, plus the domain records inbound events produce (CI pipelines, deployments, changes,
 * incidents) until their own domains take them over. Every table carries org_id.
 */

export const WEBHOOK_PROVIDERS = [
  "github",
  "gitlab",
  "jira",
  "figma",
  "datadog",
  "sentry",
  "slack",
  "standard",
] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];
/** Events also come from Shifty itself (`shifty.gate.failed`, docs/notifications.md), with no source. */
export const EVENT_PROVIDERS = [...WEBHOOK_PROVIDERS, "shifty"] as const;
export type EventProvider = (typeof EVENT_PROVIDERS)[number];

export const ENVIRONMENTS = ["prod", "stg", "int", "dev"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const EVENT_STATUSES = ["received", "processed", "failed", "dead"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const DELIVERY_STATUSES = [
  "pending",
  "sending",
  "retrying",
  "succeeded",
  "failed",
  "cancelled",
] as const;

export const webhookSources = sqliteTable(
  "webhook_sources",
  {
    ...orgRow(),
    provider: text("provider", { enum: WEBHOOK_PROVIDERS }).notNull(),
    name: text("name").notNull(),
    environment: text("environment", { enum: ENVIRONMENTS }),
    /** Project the source's events belong to, when known (CI pipeline records link to it). */
    projectId: text("project_id"),
    /** AES-GCM sealed (encryptSecret, context = source id): HMAC verification needs the plaintext. */
    secretSealed: text("secret_sealed").notNull(),
    ...timestamps(),
  },
  (t) => [index("webhook_sources_org").on(t.orgId, t.id)],
);

export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    ...orgRow(),
    sourceId: text("source_id").notNull(),
    provider: text("provider", { enum: EVENT_PROVIDERS }).notNull(),
    type: text("type").notNull(),
    /** The provider's delivery id (or a body hash when the provider sends none): the idempotency key. */
    deliveryId: text("delivery_id").notNull(),
    environment: text("environment", { enum: ENVIRONMENTS }),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: EVENT_STATUSES }).notNull(),
    /** Incremented by every replay; outbound deliveries are unique per (event, endpoint, round). */
    round: integer("round").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    receivedAt: integer("received_at").notNull(),
    enqueuedAt: integer("enqueued_at"),
    processedAt: integer("processed_at"),
    deadAt: integer("dead_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_events_delivery").on(t.sourceId, t.deliveryId),
    index("webhook_events_org").on(t.orgId, t.id),
    index("webhook_events_org_status").on(t.orgId, t.status, t.id),
    index("webhook_events_status_received").on(t.status, t.receivedAt),
  ],
);

/**
 * The event-level "applied" marker: inserted in the same D1 batch as the handlers' writes, so a
 * concurrent or repeated delivery of the same (event, round) hits the primary key and its whole batch
 * rolls back. This is what makes "redelivery never double-applies" hold even for non-idempotent writes.
 */
export const webhookEventApplications = sqliteTable(
  "webhook_event_applications",
  {
    eventId: text("event_id").notNull(),
    round: integer("round").notNull(),
    orgId: text("org_id").notNull(),
    appliedAt: integer("applied_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.round] })],
);

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    ...orgRow(),
    url: text("url").notNull(),
    description: text("description"),
    /** `github.push`, `github.*`, `*` … matched against `<provider>.<type>` (see shared/webhooks/routing.ts). */
    eventTypes: text("event_types", { mode: "json" }).$type<string[]>().notNull(),
    environment: text("environment", { enum: ENVIRONMENTS }),
    secretSealed: text("secret_sealed").notNull(),
    /** During a rotation's grace period deliveries are signed with both secrets. */
    previousSecretSealed: text("previous_secret_sealed"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    status: text("status", { enum: ["active", "disabled"] }).notNull(),
    disabledReason: text("disabled_reason"),
    disabledAt: integer("disabled_at"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    firstFailureAt: integer("first_failure_at"),
    ...timestamps(),
  },
  (t) => [index("webhook_endpoints_org").on(t.orgId, t.id)],
);

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    ...orgRow(),
    endpointId: text("endpoint_id").notNull(),
    ...eventDelivery(DELIVERY_STATUSES),
  },
  (t) => eventDeliveryIndexes("webhook_deliveries", t, t.endpointId),
);

/** Every processing attempt of an event and every HTTP attempt of a delivery. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    ...orgRow(),
    eventId: text("event_id").notNull(),
    kind: text("kind", { enum: ["process", "deliver"] }).notNull(),
    deliveryId: text("delivery_id"),
    endpointId: text("endpoint_id"),
    attempt: integer("attempt").notNull(),
    outcome: text("outcome", { enum: ["succeeded", "failed"] }).notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms"),
    responseSnippet: text("response_snippet"),
    error: text("error"),
    ...createdAt(),
  },
  (t) => [index("webhook_attempts_event").on(t.orgId, t.eventId, t.id)],
);

/** GitHub workflow_run / check_run and GitLab pipelines, kept until the CI governor links them. */
export const ciPipelineRecords = sqliteTable(
  "ci_pipeline_records",
  {
    ...providerRecord(),
    kind: text("kind", { enum: ["workflow_run", "check_run", "pipeline"] }).notNull(),
    name: text("name"),
    status: text("status"),
    conclusion: text("conclusion"),
    ...commitRef(),
    htmlUrl: text("html_url"),
    repository: text("repository"),
    ...sourceSync(),
    ...timestamps(),
  },
  (t) => [uniqueIndex("ci_pipeline_records_ext").on(t.orgId, t.provider, t.kind, t.externalId)],
);

export const deploymentRecords = sqliteTable(
  "deployment_records",
  {
    ...providerRecord(),
    environment: text("environment"),
    state: text("state").notNull(),
    commitSha: text("commit_sha"),
    ref: text("ref"),
    repository: text("repository"),
    url: text("url"),
    ...sourceSync(),
    /** Set by the deploy monitor when it judged this deployment a failed change (migrations/0020). */
    changeFailedAt: integer("change_failed_at"),
    changeFailure: text("change_failure"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("deployment_records_ext").on(t.orgId, t.provider, t.externalId),
    index("deployment_records_time").on(t.orgId, t.sourceUpdatedAt),
    index("deployment_records_updated").on(t.updatedAt),
  ],
);

/** Commits (from pushes) and pull/merge requests: the "change" side of DORA lead time. */
export const changeRecords = sqliteTable(
  "change_records",
  {
    /** externalId: the commit sha, or `<repo>#<number>` for a pull request. */
    ...providerRecord(),
    kind: text("kind", { enum: ["commit", "pull_request"] }).notNull(),
    repository: text("repository"),
    branch: text("branch"),
    commitSha: text("commit_sha"),
    title: text("title"),
    author: text("author"),
    state: text("state"),
    url: text("url"),
    authoredAt: integer("authored_at"),
    mergedAt: integer("merged_at"),
    ...sourceSync(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("change_records_ext").on(t.orgId, t.provider, t.kind, t.externalId),
    index("change_records_sha").on(t.orgId, t.commitSha),
    index("change_records_updated").on(t.updatedAt),
  ],
);

export const incidentRecords = sqliteTable(
  "incident_records",
  {
    ...providerRecord(),
    title: text("title").notNull(),
    status: text("status", { enum: ["open", "resolved"] }).notNull(),
    severity: text("severity"),
    url: text("url"),
    environment: text("environment"),
    openedAt: integer("opened_at").notNull(),
    resolvedAt: integer("resolved_at"),
    ...sourceSync(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("incident_records_ext").on(t.orgId, t.provider, t.externalId),
    index("incident_records_opened").on(t.orgId, t.openedAt),
    index("incident_records_updated").on(t.updatedAt),
  ],
);
