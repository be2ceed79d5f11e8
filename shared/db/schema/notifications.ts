import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Which of Shifty's own events of a project go to a Slack incoming webhook (docs/notifications.md). */
export const notificationRules = sqliteTable(
  "notification_rules",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    projectId: text("project_id").notNull(),
    name: text("name").notNull(),
    /** Shifty event types (`gate.failed`, …), see shared/contract/notifications.ts. */
    eventTypes: text("event_types", { mode: "json" }).$type<string[]>().notNull(),
    /** The incoming-webhook URL, sealed (it is the credential). */
    slackUrlSealed: text("slack_url_sealed").notNull(),
    /** `hooks.slack.com/…/XXXX`: enough to recognise the webhook without revealing it. */
    slackChannelHint: text("slack_channel_hint").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("notification_rules_project").on(t.orgId, t.projectId, t.id)],
);
