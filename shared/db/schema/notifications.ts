import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { deliveryState, orgRow, projectRow, timestamps } from "./columns.ts";
import { DELIVERY_STATUSES } from "./webhooks.ts";

/** Which of Shifty's own events of a project go to a Slack incoming webhook (docs/notifications.md). */
export const notificationRules = sqliteTable(
  "notification_rules",
  {
    ...projectRow(),
    name: text("name").notNull(),
    /** Shifty event types (`gate.failed`, …), see shared/contract/notifications.ts. */
    eventTypes: text("event_types", { mode: "json" }).$type<string[]>().notNull(),
    /** The incoming-webhook URL, sealed (it is the credential). */
    slackUrlSealed: text("slack_url_sealed").notNull(),
    /** `hooks.slack.com/…/XXXX`: enough to recognise the webhook without revealing it. */
    slackChannelHint: text("slack_channel_hint").notNull(),
    ...timestamps(),
  },
  (t) => [index("notification_rules_project").on(t.orgId, t.projectId, t.id)],
);

/**
 * One Slack post of one Shifty event for one rule in one round of the event: claimed with a lease,
 * retried on the webhook delivery schedule, failed when exhausted (docs/notifications.md).
 */
export const slackDeliveries = sqliteTable(
  "slack_deliveries",
  {
    ...orgRow(),
    ruleId: text("rule_id").notNull(),
    eventId: text("event_id").notNull(),
    round: integer("round").notNull(),
    /** `gate.failed`, …; with the summary it is the message. */
    eventType: text("event_type").notNull(),
    summary: text("summary").notNull(),
    ...deliveryState(DELIVERY_STATUSES),
  },
  (t) => [
    uniqueIndex("slack_deliveries_once").on(t.eventId, t.ruleId, t.round),
    index("slack_deliveries_org").on(t.orgId, t.id),
    index("slack_deliveries_status").on(t.status, t.nextAttemptAt),
  ],
);
