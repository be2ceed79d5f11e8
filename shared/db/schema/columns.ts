import { index, integer, type SQLiteColumn, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Column groups every tenant table repeats (CONTRIBUTING.md, "Add a migration"): a prefixed id as the
 * primary key with the owning organisation, and integer millisecond timestamps. Functions, because each
 * table needs its own column builders.
 */
export const orgRow = () => ({
  id: text("id").primaryKey(),
  orgId: text("org_id").notNull(),
});

/** An org row that belongs to one project: most CI, healing, session and generation tables. */
export const projectRow = () => ({
  ...orgRow(),
  projectId: text("project_id").notNull(),
});

/** A per-project settings row: one row per project, keyed by it (no row = the defaults). */
export const projectSettingsRow = () => ({
  projectId: text("project_id").primaryKey(),
  orgId: text("org_id").notNull(),
});

export const createdAt = () => ({ createdAt: integer("created_at").notNull() });

export const timestamps = () => ({
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** The client a request came from (its IP address and user agent), kept with a sign-in or an audit row. */
export const requestClient = () => ({
  ip: text("ip"),
  userAgent: text("user_agent"),
});

/** The commit a record is about and its branch, when the source said (CI runs and results, pipeline records). */
export const commitRef = () => ({
  commitSha: text("commit_sha"),
  branch: text("branch"),
});

const now = () => Date.now();

/** Timestamps drizzle fills with the insert time when the caller gives none (tenancy and session rows). */
export const createdNow = () => ({ createdAt: integer("created_at").notNull().$defaultFn(now) });

export const timestampsNow = () => ({
  ...createdNow(),
  updatedAt: integer("updated_at").notNull().$defaultFn(now),
});

/**
 * A record kept in step with an inbound provider (docs/webhooks.md): the provider's own updated time, so
 * an older redelivery never overwrites a newer state, and the event that last wrote it.
 */
export const sourceSync = () => ({
  sourceUpdatedAt: integer("source_updated_at").notNull(),
  lastEventId: text("last_event_id").notNull(),
});

/**
 * A domain record inbound provider events produce (docs/webhooks.md): the provider's id for it, and the
 * source's project (migrations/0011_insight.sql), null for org-wide sources.
 */
export const providerRecord = () => ({
  ...orgRow(),
  projectId: text("project_id"),
  provider: text("provider").notNull(),
  externalId: text("external_id").notNull(),
});

/**
 * The state of one outbound delivery that is claimed with a lease and retried on a schedule: webhook
 * deliveries and Slack posts share it (docs/webhooks.md, docs/notifications.md).
 */
export const deliveryState = <const S extends readonly [string, ...string[]]>(statuses: S) => ({
  status: text("status", { enum: statuses }).notNull(),
  attempts: integer("attempts").notNull().default(0),
  nextAttemptAt: integer("next_attempt_at"),
  /** A claimed ("sending") delivery whose lease ran out may be claimed again (crashed consumer). */
  leaseUntil: integer("lease_until"),
  lastStatusCode: integer("last_status_code"),
  lastError: text("last_error"),
  ...timestamps(),
  completedAt: integer("completed_at"),
});

/**
 * One delivery of one round of an event to one target (a webhook endpoint, a Slack rule): made at most
 * once per (event, target, round), and claimed by status and due time (docs/webhooks.md).
 */
export const eventDelivery = <const S extends readonly [string, ...string[]]>(statuses: S) => ({
  eventId: text("event_id").notNull(),
  round: integer("round").notNull(),
  ...deliveryState(statuses),
});

/** The indexes of an eventDelivery table: once per (event, target, round), the org's list, the claim. */
export const eventDeliveryIndexes = (
  table: string,
  t: {
    orgId: SQLiteColumn;
    id: SQLiteColumn;
    eventId: SQLiteColumn;
    round: SQLiteColumn;
    status: SQLiteColumn;
    nextAttemptAt: SQLiteColumn;
  },
  target: SQLiteColumn,
) => [
  uniqueIndex(`${table}_once`).on(t.eventId, target, t.round),
  index(`${table}_org`).on(t.orgId, t.id),
  index(`${table}_status`).on(t.status, t.nextAttemptAt),
];
