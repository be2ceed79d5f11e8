import {
  createNotificationRuleSchema,
  notificationRuleListSchema,
  notificationRuleSchema,
  notificationTestResultSchema,
} from "../../../shared/contract/notifications.ts";
import {
  createRule,
  deleteRule,
  listRules,
  type RuleDeps,
  sendTest,
} from "../../../shared/notifications/rules.ts";
import type { SlackDeps } from "../../../shared/slack/webhook.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import type { Services } from "../../services.ts";

/** Notification rules per project and their "send test" (docs/notifications.md). */

const notifications = routeGroup({ tags: ["Notifications"], permission: "projects:write" });
const projectParams = idParam("projectId", "prj");
const ruleParams = idParam("ruleId", "ntf");

/** Loopback Slack URLs only in local development, as for outbound endpoints (workers/queues/webhooks.ts). */
const allowLoopback = (s: Services) => s.config.allowLoopbackWebhooks && s.config.appEnv === "development";

const slackDepsOf = (s: Services): SlackDeps => ({
  fetch: (input, init) => fetch(input, init),
  allowLoopback: allowLoopback(s),
});

const ruleDeps = (s: Services): RuleDeps => ({
  db: s.db,
  encryptionKey: s.config.encryptionKey,
  allowLoopback: allowLoopback(s),
  now: s.clock(),
});

const createRoute = notifications.post("/projects/{projectId}/notification-rules", {
  summary: "Post a project's Shifty events to a Slack incoming webhook",
  errors: [422],
  request: { params: projectParams, body: jsonBody(createNotificationRuleSchema) },
  responses: { 201: jsonContent(notificationRuleSchema, "The rule (the webhook URL is not returned)") },
});

notifications.answer(createRoute, function createHandler({ services, orgId, audit, param, json }) {
  return createRule(ruleDeps(services), orgId, audit, param.projectId, json);
});

const listRoute = notifications.get("/projects/{projectId}/notification-rules", {
  summary: "A project's notification rules",
  permission: "projects:read",
  request: { params: projectParams },
  responses: { 200: jsonContent(notificationRuleListSchema, "The rules, newest first") },
});

notifications.answer(listRoute, function listHandler({ db, orgId, param }) {
  return listRules(db, orgId, param.projectId);
});

const deleteRoute = notifications.delete("/notification-rules/{ruleId}", {
  summary: "Delete a notification rule",
  request: { params: ruleParams },
  responses: { 204: { description: "Deleted" } },
});

notifications.answer(deleteRoute, function deleteHandler({ db, orgId, audit, param }) {
  return deleteRule(db, orgId, audit, param.ruleId);
});

const testRoute = notifications.post("/notification-rules/{ruleId}/test", {
  summary: "Send a test message to the rule's Slack webhook now",
  request: { params: ruleParams },
  responses: { 200: jsonContent(notificationTestResultSchema, "What Slack answered") },
});

notifications.answer(testRoute, function testHandler({ services, orgId, param }) {
  return sendTest(ruleDeps(services), slackDepsOf(services), orgId, param.ruleId);
});

export const registerNotificationRoutes = (app: Router) => notifications.register(app);
