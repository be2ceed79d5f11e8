import { z } from "zod";

/** Shifty's own events and the per-project rules that post them to Slack (docs/notifications.md). */

/** Event types Shifty emits; endpoints subscribe to them as `shifty.<type>` (or `shifty.*`). */
export const SHIFTY_EVENT_TYPES = [
  "run.completed",
  "gate.failed",
  "heal.pending_review",
  "flaky.detected",
  "session.ended",
  "deploy.at_risk",
  "incident.opened",
] as const;
export type ShiftyEventType = (typeof SHIFTY_EVENT_TYPES)[number];

export const createNotificationRuleSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(80),
    eventTypes: z.array(z.enum(SHIFTY_EVENT_TYPES)).min(1).max(SHIFTY_EVENT_TYPES.length),
    slackWebhookUrl: z
      .url({ protocol: /^https$/ })
      .max(500)
      .describe("A Slack incoming-webhook URL; stored sealed and never returned"),
  })
  .meta({ id: "CreateNotificationRule" });
export type CreateNotificationRule = z.infer<typeof createNotificationRuleSchema>;

export const notificationRuleSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    name: z.string(),
    eventTypes: z.array(z.enum(SHIFTY_EVENT_TYPES)),
    slackWebhook: z.string().describe("Host and last characters of the webhook URL"),
    createdAt: z.number().int(),
  })
  .meta({ id: "NotificationRule" });
export type NotificationRule = z.infer<typeof notificationRuleSchema>;

export const notificationRuleListSchema = z
  .object({ items: z.array(notificationRuleSchema) })
  .meta({ id: "NotificationRuleList" });

export const notificationTestResultSchema = z
  .object({
    delivered: z.boolean(),
    status: z.number().int().nullable().describe("Slack's HTTP status; null when no answer came"),
    error: z.string().nullable(),
  })
  .meta({ id: "NotificationTestResult" });
export type NotificationTestResult = z.infer<typeof notificationTestResultSchema>;
