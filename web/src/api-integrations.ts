// Typed calls of a project's integrations (shapes in shared/contract/, prose in docs/sessions-api.md,
// docs/ci-api.md and docs/notifications.md): Jira, GitHub and the Slack notification rules.
import type { GithubIntegration, PutGithubIntegration } from "../../shared/contract/ci.ts";
import type { ConnectionCheck } from "../../shared/contract/common.ts";
import type {
  CreateNotificationRule,
  NotificationRule,
  NotificationTestResult,
  ShiftyEventType,
} from "../../shared/contract/notifications.ts";
import type { JiraSettings, JiraSettingsInput } from "../../shared/contract/sessions.ts";
import { enc, json } from "./api.ts";
import { everyOf } from "./every-of.ts";

export type { ConnectionCheck, NotificationRule, NotificationTestResult, ShiftyEventType };

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

/**
 * The calls every project integration answers the same way, at /projects/{projectId}/integrations/<name>
 * (docs/architecture.md): its settings (404 while not configured), save (PUT), remove, and a test of the
 * connection.
 */
export type ProjectIntegrationApi<T, Input> = {
  get: (projectId: string) => Promise<T>;
  save: (projectId: string, body: Input) => Promise<T>;
  remove: (projectId: string) => Promise<void>;
  test: (projectId: string) => Promise<ConnectionCheck>;
};

function projectIntegration<T, Input>(name: string): ProjectIntegrationApi<T, Input> {
  const path = (projectId: string) => `${project(projectId)}/integrations/${name}`;
  return {
    get: (projectId) => json<T>("GET", path(projectId)),
    save: (projectId, body) => json<T>("PUT", path(projectId), { json: body }),
    remove: (projectId) => json<void>("DELETE", path(projectId)),
    test: (projectId) => json<ConnectionCheck>("POST", `${path(projectId)}/test`),
  };
}

export const integrationsApi = {
  jira: projectIntegration<JiraSettings, JiraSettingsInput>("jira"),
  github: projectIntegration<GithubIntegration, PutGithubIntegration>("github"),

  slackRules: (projectId: string) =>
    json<{ items: NotificationRule[] }>("GET", `${project(projectId)}/notification-rules`),
  createSlackRule: (projectId: string, body: CreateNotificationRule) =>
    json<NotificationRule>("POST", `${project(projectId)}/notification-rules`, { json: body }),
  removeSlackRule: (ruleId: string) => json<void>("DELETE", `/v1/notification-rules/${enc(ruleId)}`),
  testSlackRule: (ruleId: string) =>
    json<NotificationTestResult>("POST", `/v1/notification-rules/${enc(ruleId)}/test`),
};
