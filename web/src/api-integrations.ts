// Typed calls of a project's integrations (shapes in shared/contract/, prose in docs/sessions-api.md,
// docs/ci-api.md and docs/notifications.md): Jira, GitHub and the Slack notification rules.
import type { ConnectionCheck } from "../../shared/contract/common.ts";
import type {
  CreateNotificationRule,
  NotificationRule,
  NotificationTestResult,
  ShiftyEventType,
} from "../../shared/contract/notifications.ts";
import type { JiraSettings, JiraSettingsInput } from "../../shared/contract/sessions.ts";
import { enc, json } from "./api.ts";
import { ciApi } from "./api-ci.ts";
import { everyOf } from "./every-of.ts";

export type { ConnectionCheck, JiraSettings, NotificationRule, NotificationTestResult, ShiftyEventType };

/** The events a Slack rule may post: every one of the contract's SHIFTY_EVENT_TYPES (every-of.ts). */
export const SHIFTY_EVENTS = everyOf<ShiftyEventType>()([
  "run.completed",
  "gate.failed",
  "heal.pending_review",
  "flaky.detected",
  "session.ended",
  "deploy.at_risk",
  "incident.opened",
]);

const project = (projectId: string) => `/v1/projects/${enc(projectId)}`;

export const integrationsApi = {
  jira: (projectId: string) => json<JiraSettings>("GET", `${project(projectId)}/integrations/jira`),
  saveJira: (projectId: string, body: JiraSettingsInput) =>
    json<JiraSettings>("PUT", `${project(projectId)}/integrations/jira`, { json: body }),
  removeJira: (projectId: string) => json<void>("DELETE", `${project(projectId)}/integrations/jira`),
  testJira: (projectId: string) =>
    json<ConnectionCheck>("POST", `${project(projectId)}/integrations/jira/test`),

  github: ciApi.github,
  saveGithub: ciApi.saveGithub,
  removeGithub: ciApi.removeGithub,
  testGithub: (projectId: string) =>
    json<ConnectionCheck>("POST", `${project(projectId)}/integrations/github/test`),

  slackRules: (projectId: string) =>
    json<{ items: NotificationRule[] }>("GET", `${project(projectId)}/notification-rules`),
  createSlackRule: (projectId: string, body: CreateNotificationRule) =>
    json<NotificationRule>("POST", `${project(projectId)}/notification-rules`, { json: body }),
  removeSlackRule: (ruleId: string) => json<void>("DELETE", `/v1/notification-rules/${enc(ruleId)}`),
  testSlackRule: (ruleId: string) =>
    json<NotificationTestResult>("POST", `/v1/notification-rules/${enc(ruleId)}/test`),
};
