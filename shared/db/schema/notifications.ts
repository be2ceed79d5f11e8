import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { eventDelivery, eventDeliveryIndexes, orgRow, projectRow, timestamps } from "./columns.ts";
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
    /** `gate.failed`, …; with the summary it is the message. */
    eventType: text("event_type").notNull(),
    summary: text("summary").notNull(),
    ...eventDelivery(DELIVERY_STATUSES),
  },
  (t) => eventDeliveryIndexes("slack_deliveries", t, t.ruleId),
);
