import type { WebhookProvider } from "../db/schema/webhooks.ts";

/**
 * Internal handlers: what an inbound event means for Shifty's own records. Pure functions from a parsed
 * payload to record intents; the consumer turns intents into upserts keyed on (org, provider, external
 * id), so applying the same event twice leaves the same state.
 */

export type CiPipelineIntent = {
  table: "ci_pipeline";
  kind: "workflow_run" | "check_run" | "pipeline";
  externalId: string;
  name: string | null;
  status: string | null;
  conclusion: string | null;
  commitSha: string | null;
  branch: string | null;
  htmlUrl: string | null;
  repository: string | null;
  sourceUpdatedAt: number;
};

export type DeploymentIntent = {
  table: "deployment";
  externalId: string;
  environment: string | null;
  state: string;
  commitSha: string | null;
  ref: string | null;
  repository: string | null;
  url: string | null;
  sourceUpdatedAt: number;
};

export type ChangeIntent = {
  table: "change";
  kind: "commit" | "pull_request";
  externalId: string;
  repository: string | null;
  branch: string | null;
  commitSha: string | null;
  title: string | null;
  author: string | null;
  state: string | null;
  url: string | null;
  authoredAt: number | null;
  mergedAt: number | null;
  sourceUpdatedAt: number;
};

export type IncidentIntent = {
  table: "incident";
  externalId: string;
  title: string;
  status: "open" | "resolved";
  severity: string | null;
  url: string | null;
  sourceUpdatedAt: number;
};

export type RecordIntent = CiPipelineIntent | DeploymentIntent | ChangeIntent | IncidentIntent;

export type InboundEvent = {
  id: string;
  provider: WebhookProvider;
  type: string;
  environment: string | null;
  body: string;
  receivedAt: number;
};

/** An internal handler; throwing makes the consumer retry the whole event (nothing is half-applied). */
export type InboundHandler = (event: InboundEvent, payload: unknown) => RecordIntent[];

/** Pushes carry at most this many commits into change records (GitHub itself sends at most 20). */
const MAX_COMMITS = 100;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const text = (v: unknown, max = 500): string | null =>
  typeof v === "string" && v.length > 0 ? v.slice(0, max) : typeof v === "number" ? String(v) : null;

/** ISO strings, "2016-08-12 15:23:28 UTC" (GitLab), epoch seconds or milliseconds. */
function time(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v === "string" && v.length > 0) {
    if (/^\d+$/.test(v)) return time(Number(v));
    const parsed = Date.parse(v.replace(/ UTC$/, "Z").replace(/^(\d{4}-\d{2}-\d{2}) /, "$1T"));
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

function githubHandler(event: InboundEvent, payload: unknown): RecordIntent[] {
  const p = obj(payload);
  const repository = text(obj(p.repository).full_name);
  const at = (v: unknown) => time(v) ?? event.receivedAt;
  switch (event.type) {
    case "workflow_run": {
      const run = obj(p.workflow_run);
      if (run.id === undefined) return [];
      return [
        {
          table: "ci_pipeline",
          kind: "workflow_run",
          externalId: String(run.id),
          name: text(run.name),
          status: text(run.status),
          conclusion: text(run.conclusion),
          commitSha: text(run.head_sha),
          branch: text(run.head_branch),
          htmlUrl: text(run.html_url, 2000),
          repository,
          sourceUpdatedAt: at(run.updated_at),
        },
      ];
    }
    case "check_run": {
      const check = obj(p.check_run);
      if (check.id === undefined) return [];
      return [
        {
          table: "ci_pipeline",
          kind: "check_run",
          externalId: String(check.id),
          name: text(check.name),
          status: text(check.status),
          conclusion: text(check.conclusion),
          commitSha: text(check.head_sha),
          branch: text(obj(check.check_suite).head_branch),
          htmlUrl: text(check.html_url, 2000),
          repository,
          sourceUpdatedAt: at(check.completed_at ?? check.started_at),
        },
      ];
    }
    case "deployment_status": {
      const status = obj(p.deployment_status);
      const deployment = obj(p.deployment);
      if (deployment.id === undefined || !text(status.state)) return [];
      return [
        {
          table: "deployment",
          externalId: String(deployment.id),
          environment: text(status.environment) ?? text(deployment.environment),
          state: text(status.state) as string,
          commitSha: text(deployment.sha),
          ref: text(deployment.ref),
          repository,
          url: text(status.target_url, 2000) ?? text(status.environment_url, 2000),
          sourceUpdatedAt: at(status.updated_at ?? status.created_at),
        },
      ];
    }
    case "push": {
      const branch = text(p.ref)?.replace(/^refs\/heads\//, "") ?? null;
      const commits = Array.isArray(p.commits) ? p.commits.slice(0, MAX_COMMITS) : [];
      return commits.flatMap((raw): ChangeIntent[] => {
        const commit = obj(raw);
        const sha = text(commit.id);
        if (!sha) return [];
        const author = obj(commit.author);
        return [
          {
            table: "change",
            kind: "commit",
            externalId: sha,
            repository,
            branch,
            commitSha: sha,
            title: text(commit.message)?.split("\n")[0] ?? null,
            author: text(author.username) ?? text(author.name),
            state: "pushed",
            url: text(commit.url, 2000),
            authoredAt: time(commit.timestamp),
            mergedAt: null,
            sourceUpdatedAt: at(commit.timestamp),
          },
        ];
      });
    }
    case "pull_request": {
      const pr = obj(p.pull_request);
      if (pr.number === undefined) return [];
      return [
        {
          table: "change",
          kind: "pull_request",
          externalId: `${repository ?? "?"}#${pr.number}`,
          repository,
          branch: text(obj(pr.head).ref),
          commitSha: text(obj(pr.head).sha),
          title: text(pr.title),
          author: text(obj(pr.user).login),
          state: pr.merged === true ? "merged" : text(pr.state),
          url: text(pr.html_url, 2000),
          authoredAt: time(pr.created_at),
          mergedAt: time(pr.merged_at),
          sourceUpdatedAt: at(pr.updated_at),
        },
      ];
    }
    default:
      return [];
  }
}

function gitlabHandler(event: InboundEvent, payload: unknown): RecordIntent[] {
  const p = obj(payload);
  const project = obj(p.project);
  const repository = text(project.path_with_namespace);
  const attrs = obj(p.object_attributes);
  const at = (v: unknown) => time(v) ?? event.receivedAt;
  switch (event.type) {
    case "pipeline":
      if (attrs.id === undefined) return [];
      return [
        {
          table: "ci_pipeline",
          kind: "pipeline",
          externalId: String(attrs.id),
          name: text(attrs.name) ?? `pipeline ${attrs.iid ?? attrs.id}`,
          status: text(attrs.status),
          conclusion: ["success", "failed", "canceled", "skipped"].includes(String(attrs.status))
            ? text(attrs.status)
            : null,
          commitSha: text(attrs.sha),
          branch: text(attrs.ref),
          htmlUrl:
            text(attrs.url, 2000) ??
            (text(project.web_url) ? `${project.web_url}/-/pipelines/${attrs.id}` : null),
          repository,
          sourceUpdatedAt: at(attrs.finished_at ?? attrs.created_at),
        },
      ];
    case "deployment":
      if (p.deployment_id === undefined || !text(p.status)) return [];
      return [
        {
          table: "deployment",
          externalId: String(p.deployment_id),
          environment: text(p.environment),
          state: text(p.status) as string,
          commitSha: text(p.short_sha) ?? text(obj(p.commit).id),
          ref: text(p.ref),
          repository,
          url: text(p.deployable_url, 2000),
          sourceUpdatedAt: at(p.status_changed_at),
        },
      ];
    case "push": {
      const branch = text(p.ref)?.replace(/^refs\/heads\//, "") ?? null;
      const commits = Array.isArray(p.commits) ? p.commits.slice(0, MAX_COMMITS) : [];
      return commits.flatMap((raw): ChangeIntent[] => {
        const commit = obj(raw);
        const sha = text(commit.id);
        if (!sha) return [];
        return [
          {
            table: "change",
            kind: "commit",
            externalId: sha,
            repository,
            branch,
            commitSha: sha,
            title: text(commit.title) ?? text(commit.message)?.split("\n")[0] ?? null,
            author: text(obj(commit.author).name),
            state: "pushed",
            url: text(commit.url, 2000),
            authoredAt: time(commit.timestamp),
            mergedAt: null,
            sourceUpdatedAt: at(commit.timestamp),
          },
        ];
      });
    }
    case "merge_request":
      if (attrs.iid === undefined) return [];
      return [
        {
          table: "change",
          kind: "pull_request",
          externalId: `${repository ?? "?"}!${attrs.iid}`,
          repository,
          branch: text(attrs.source_branch),
          commitSha: text(obj(attrs.last_commit).id),
          title: text(attrs.title),
          author: text(obj(p.user).username),
          state: text(attrs.state),
          url: text(attrs.url, 2000),
          authoredAt: time(attrs.created_at),
          mergedAt: attrs.state === "merged" ? time(attrs.updated_at) : null,
          sourceUpdatedAt: at(attrs.updated_at),
        },
      ];
    default:
      return [];
  }
}

/** Datadog's webhook payload is a user-defined template; these are its documented default variables. */
function datadogHandler(event: InboundEvent, payload: unknown): RecordIntent[] {
  const p = obj(payload);
  const externalId = text(p.alert_id) ?? text(p.aggreg_key) ?? text(p.id);
  if (!externalId) return [];
  const transition = text(p.alert_transition) ?? text(p.alert_status) ?? "";
  return [
    {
      table: "incident",
      externalId,
      title: text(p.title) ?? text(p.alert_title) ?? `Datadog alert ${externalId}`,
      status: /recover|resolved|ok/i.test(transition) ? "resolved" : "open",
      severity: text(p.priority) ?? text(p.alert_priority),
      url: text(p.link, 2000),
      sourceUpdatedAt: time(p.last_updated) ?? time(p.date) ?? event.receivedAt,
    },
  ];
}

/** Sentry integration-platform resources: issue (created/resolved/…), event_alert, metric_alert. */
function sentryHandler(event: InboundEvent, payload: unknown): RecordIntent[] {
  const data = obj(obj(payload).data);
  const [resource, action] = event.type.split(".");
  let externalId: string | null = null;
  let title: string | null = null;
  let url: string | null = null;
  let severity: string | null = null;
  let updated: number | null = null;
  if (resource === "issue") {
    const issue = obj(data.issue);
    externalId = text(issue.id);
    title = text(issue.title);
    url = text(issue.web_url, 2000) ?? text(issue.permalink, 2000);
    severity = text(issue.level);
    updated = time(issue.lastSeen);
  } else if (resource === "event_alert") {
    const ev = obj(data.event);
    externalId = text(ev.issue_id);
    title = text(ev.title) ?? text(data.triggered_rule);
    url = text(ev.web_url, 2000);
    severity = text(ev.level);
    updated = time(ev.datetime);
  } else if (resource === "metric_alert") {
    const alert = obj(data.metric_alert);
    externalId = alert.id === undefined ? null : `metric:${alert.id}`;
    title = text(data.description_title) ?? text(obj(alert.alert_rule).name);
    url = text(data.web_url, 2000);
    severity = action === "critical" || action === "warning" ? action : null;
    updated = time(alert.date_detected);
  } else {
    return [];
  }
  if (!externalId) return [];
  return [
    {
      table: "incident",
      externalId,
      title: title ?? `Sentry ${resource} ${externalId}`,
      status: action === "resolved" ? "resolved" : "open",
      severity,
      url,
      sourceUpdatedAt: updated ?? event.receivedAt,
    },
  ];
}

const BY_PROVIDER: Partial<Record<WebhookProvider, InboundHandler>> = {
  github: githubHandler,
  gitlab: gitlabHandler,
  datadog: datadogHandler,
  sentry: sentryHandler,
};

/** The default internal handler: dispatches on provider; Jira, Figma, Slack and Standard only fan out. */
export const domainRecordsHandler: InboundHandler = (event, payload) =>
  BY_PROVIDER[event.provider]?.(event, payload) ?? [];

/** The body as JSON when it is JSON (Slack slash commands are form-encoded: kept as text). */
export function parsePayload(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
