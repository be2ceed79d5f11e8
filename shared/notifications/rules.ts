import { and, desc, eq } from "drizzle-orm";
import { type AuditContext, auditedInsert, deleteInOrg } from "../audit/repository.ts";
import type {
  CreateNotificationRule,
  NotificationRule,
  NotificationTestResult,
  ShiftyEventType,
} from "../contract/notifications.ts";
import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { notificationRules } from "../db/schema/notifications.ts";
import { projects } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import { checkOutboundUrl } from "../net/outbound-url.ts";
import { postSlackMessage, type SlackDeps, SlackError } from "../slack/webhook.ts";

/** Per-project notification rules: Shifty events of a project → a Slack incoming webhook. */

type RuleRow = typeof notificationRules.$inferSelect;
export type RuleDeps = { db: Db; encryptionKey: string; allowLoopback: boolean; now: number };

/** Sealed under ENCRYPTION_KEY and bound to the rule's id, like other secrets read back. */
export const slackSealContext = (id: string) => `notification_rule:${id}:slack_url`;

/** `hooks.slack.com/…/ab12`: recognisable without being usable. */
function webhookHint(url: string): string {
  const u = new URL(url);
  return `${u.host}/…/${u.pathname.slice(-4)}`;
}

const toRule = (r: RuleRow): NotificationRule => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  eventTypes: r.eventTypes as ShiftyEventType[],
  slackWebhook: r.slackChannelHint,
  createdAt: r.createdAt,
});

export async function createRule(
  deps: RuleDeps,
  orgId: string,
  audit: AuditContext,
  projectId: string,
  input: CreateNotificationRule,
): Promise<NotificationRule> {
  const { db, now } = deps;
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const verdict = checkOutboundUrl(input.slackWebhookUrl, { allowLoopback: deps.allowLoopback });
  if (!verdict.ok) {
    throw new ApiError("unprocessable", "The Slack webhook URL is not allowed", {
      errors: [{ path: "slackWebhookUrl", message: verdict.reason }],
    });
  }
  const id = newId("ntf", now);
  const url = verdict.url.toString();
  const row: RuleRow = {
    id,
    orgId,
    projectId,
    name: input.name,
    eventTypes: [...new Set(input.eventTypes)],
    slackUrlSealed: await encryptSecret(deps.encryptionKey, url, slackSealContext(id)),
    slackChannelHint: webhookHint(url),
    createdAt: now,
    updatedAt: now,
  };
  await auditedInsert(db, orgId, audit, notificationRules, row, {
    action: "notification_rule.create",
    targetType: "notification_rule",
    changes: { projectId, name: row.name, eventTypes: row.eventTypes },
  });
  return toRule(row);
}

export async function listRules(db: Db, orgId: string, projectId: string) {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const n = notificationRules;
  const rows = await db
    .select()
    .from(n)
    .where(and(eq(n.orgId, orgId), eq(n.projectId, projectId)))
    .orderBy(desc(n.id))
    .limit(100);
  return { items: rows.map(toRule) };
}

export async function deleteRule(db: Db, orgId: string, audit: AuditContext, ruleId: string) {
  await deleteInOrg(db, orgId, audit, notificationRules, ruleId, "Notification rule", () => ({
    action: "notification_rule.delete",
    targetType: "notification_rule",
  }));
}

/** The rules of a project that want an event type, with their webhook URLs unsealed. */
export async function rulesFor(
  db: Db,
  encryptionKey: string,
  orgId: string,
  projectId: string,
  type: ShiftyEventType,
) {
  const n = notificationRules;
  const rows = await db
    .select()
    .from(n)
    .where(and(eq(n.orgId, orgId), eq(n.projectId, projectId)));
  const wanted = rows.filter((r) => r.eventTypes.includes(type));
  return Promise.all(
    wanted.map(async (r) => ({
      id: r.id,
      url: await decryptSecret(encryptionKey, r.slackUrlSealed, slackSealContext(r.id)),
    })),
  );
}

/** "Send test": one message to the rule's webhook now, and what Slack answered. */
export async function sendTest(
  deps: RuleDeps,
  slack: SlackDeps,
  orgId: string,
  ruleId: string,
): Promise<NotificationTestResult> {
  const rule = await requireInOrg(deps.db, notificationRules, orgId, ruleId, "Notification rule");
  const url = await decryptSecret(deps.encryptionKey, rule.slackUrlSealed, slackSealContext(rule.id));
  try {
    await postSlackMessage(slack, url, {
      text: `Shifty test notification for rule “${rule.name}” (${rule.eventTypes.join(", ")})`,
    });
    return { delivered: true, status: 200, error: null };
  } catch (error) {
    if (!(error instanceof SlackError)) throw error;
    return { delivered: false, status: error.status, error: error.message };
  }
}
