import type { EventProvider } from "../db/schema/webhooks.ts";

/**
 * Domain events: what an inbound webhook means for Shifty itself — a CI pipeline ran, a deployment
 * changed state, a commit or pull request moved, an incident opened or resolved. Internal handlers are
 * pure functions from a parsed payload to domain events; processing turns each into an upsert keyed on
 * (org, provider, external id) in its `*_records` table (domain-event-repository.ts), so applying the
 * same webhook twice leaves the same state.
 */

export type CiPipelineEvent = {
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

export type DeploymentEvent = {
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

export type ChangeEvent = {
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

export type IncidentEvent = {
  table: "incident";
  externalId: string;
  title: string;
  status: "open" | "resolved";
  severity: string | null;
  url: string | null;
  sourceUpdatedAt: number;
};

export type DomainEvent = CiPipelineEvent | DeploymentEvent | ChangeEvent | IncidentEvent;

export type InboundEvent = {
  id: string;
  provider: EventProvider;
  type: string;
  environment: string | null;
  body: string;
  receivedAt: number;
};

/** An internal handler; throwing makes the consumer retry the whole event (nothing is half-applied). */
export type InboundHandler = (event: InboundEvent, payload: unknown) => DomainEvent[];

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

/** What a provider-specific reader gets: the payload as an object, plus the event for fallbacks. */
type Reader = (p: Obj, event: InboundEvent) => DomainEvent[];

/** The time a payload field names, or when the event was received. */
const at = (event: InboundEvent, v: unknown) => time(v) ?? event.receivedAt;
const branchOf = (ref: unknown) => text(ref)?.replace(/^refs\/heads\//, "") ?? null;
const commitsOf = (p: Obj) => (Array.isArray(p.commits) ? p.commits.slice(0, MAX_COMMITS) : []);
const githubRepository = (p: Obj) => text(obj(p.repository).full_name);

/**
 * A push's commits as change records (GitHub and GitLab send the same list; they name a commit's title
 * and author differently, so the provider's reader says where those are).
 */
function pushedCommits(
  p: Obj,
  event: InboundEvent,
  repository: string | null,
  read: { title: (commit: Obj) => string | null; author: (commit: Obj) => string | null },
): ChangeEvent[] {
  return commitsOf(p).flatMap((raw): ChangeEvent[] => {
    const commit = obj(raw);
    const sha = text(commit.id);
    if (!sha) return [];
    return [
      {
        table: "change",
        kind: "commit",
        externalId: sha,
        repository,
        branch: branchOf(p.ref),
        commitSha: sha,
        title: read.title(commit),
        author: read.author(commit),
        state: "pushed",
        url: text(commit.url, 2000),
        authoredAt: time(commit.timestamp),
        mergedAt: null,
        sourceUpdatedAt: at(event, commit.timestamp),
      },
    ];
  });
}

/**
 * A pull request (a GitLab merge request) as a change record, its external id the repository and the
 * `number` as the provider writes it: `owner/repo#12`, `group/project!12`.
 */
function pullRequest(
  repository: string | null,
  number: string,
  fields: Omit<ChangeEvent, "table" | "kind" | "externalId" | "repository">,
): ChangeEvent[] {
  return [
    {
      table: "change",
      kind: "pull_request",
      externalId: `${repository ?? "?"}${number}`,
      repository,
      ...fields,
    },
  ];
}

/**
 * A GitHub workflow run or check run (`run`) as a pipeline record: both name their id, name, status,
 * conclusion, commit and link alike; where the branch and the last change stand differs.
 */
function githubPipeline(
  p: Obj,
  event: InboundEvent,
  kind: "workflow_run" | "check_run",
  run: Obj,
  where: { branch: unknown; updatedAt: unknown },
): DomainEvent[] {
  if (run.id === undefined) return [];
  return [
    {
      table: "ci_pipeline",
      kind,
      externalId: String(run.id),
      name: text(run.name),
      status: text(run.status),
      conclusion: text(run.conclusion),
      commitSha: text(run.head_sha),
      branch: text(where.branch),
      htmlUrl: text(run.html_url, 2000),
      repository: githubRepository(p),
      sourceUpdatedAt: at(event, where.updatedAt),
    },
  ];
}

const GITHUB: Record<string, Reader> = {
  workflow_run: (p, event) => {
    const run = obj(p.workflow_run);
    return githubPipeline(p, event, "workflow_run", run, {
      branch: run.head_branch,
      updatedAt: run.updated_at,
    });
  },
  check_run: (p, event) => {
    const check = obj(p.check_run);
    return githubPipeline(p, event, "check_run", check, {
      branch: obj(check.check_suite).head_branch,
      updatedAt: check.completed_at ?? check.started_at,
    });
  },
  deployment_status: (p, event) => {
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
        repository: githubRepository(p),
        url: text(status.target_url, 2000) ?? text(status.environment_url, 2000),
        sourceUpdatedAt: at(event, status.updated_at ?? status.created_at),
      },
    ];
  },
  push: (p, event) =>
    pushedCommits(p, event, githubRepository(p), {
      title: (commit) => text(commit.message)?.split("\n")[0] ?? null,
      author: (commit) => text(obj(commit.author).username) ?? text(obj(commit.author).name),
    }),
  pull_request: (p, event) => {
    const pr = obj(p.pull_request);
    if (pr.number === undefined) return [];
    return pullRequest(githubRepository(p), `#${pr.number}`, {
      branch: text(obj(pr.head).ref),
      commitSha: text(obj(pr.head).sha),
      title: text(pr.title),
      author: text(obj(pr.user).login),
      state: pr.merged === true ? "merged" : text(pr.state),
      url: text(pr.html_url, 2000),
      authoredAt: time(pr.created_at),
      mergedAt: time(pr.merged_at),
      sourceUpdatedAt: at(event, pr.updated_at),
    });
  },
};

const gitlabRepository = (p: Obj) => text(obj(p.project).path_with_namespace);
const GITLAB_FINISHED = ["success", "failed", "canceled", "skipped"];

const GITLAB: Record<string, Reader> = {
  pipeline: (p, event) => {
    const attrs = obj(p.object_attributes);
    const project = obj(p.project);
    if (attrs.id === undefined) return [];
    return [
      {
        table: "ci_pipeline",
        kind: "pipeline",
        externalId: String(attrs.id),
        name: text(attrs.name) ?? `pipeline ${attrs.iid ?? attrs.id}`,
        status: text(attrs.status),
        conclusion: GITLAB_FINISHED.includes(String(attrs.status)) ? text(attrs.status) : null,
        commitSha: text(attrs.sha),
        branch: text(attrs.ref),
        htmlUrl:
          text(attrs.url, 2000) ??
          (text(project.web_url) ? `${project.web_url}/-/pipelines/${attrs.id}` : null),
        repository: gitlabRepository(p),
        sourceUpdatedAt: at(event, attrs.finished_at ?? attrs.created_at),
      },
    ];
  },
  deployment: (p, event) => {
    if (p.deployment_id === undefined || !text(p.status)) return [];
    return [
      {
        table: "deployment",
        externalId: String(p.deployment_id),
        environment: text(p.environment),
        state: text(p.status) as string,
        commitSha: text(p.short_sha) ?? text(obj(p.commit).id),
        ref: text(p.ref),
        repository: gitlabRepository(p),
        url: text(p.deployable_url, 2000),
        sourceUpdatedAt: at(event, p.status_changed_at),
      },
    ];
  },
  push: (p, event) =>
    pushedCommits(p, event, gitlabRepository(p), {
      title: (commit) => text(commit.title) ?? text(commit.message)?.split("\n")[0] ?? null,
      author: (commit) => text(obj(commit.author).name),
    }),
  merge_request: (p, event) => {
    const attrs = obj(p.object_attributes);
    if (attrs.iid === undefined) return [];
    return pullRequest(gitlabRepository(p), `!${attrs.iid}`, {
      branch: text(attrs.source_branch),
      commitSha: text(obj(attrs.last_commit).id),
      title: text(attrs.title),
      author: text(obj(p.user).username),
      state: text(attrs.state),
      url: text(attrs.url, 2000),
      authoredAt: time(attrs.created_at),
      mergedAt: attrs.state === "merged" ? time(attrs.updated_at) : null,
      sourceUpdatedAt: at(event, attrs.updated_at),
    });
  },
};

/** A provider whose event type picks one reader (GitHub, GitLab); unknown types mean nothing. */
const byType =
  (readers: Record<string, Reader>): InboundHandler =>
  (event, payload) =>
    Object.hasOwn(readers, event.type) ? (readers[event.type] as Reader)(obj(payload), event) : [];

/** Datadog's webhook payload is a user-defined template; these are its documented default variables. */
function datadogHandler(event: InboundEvent, payload: unknown): DomainEvent[] {
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
function sentryHandler(event: InboundEvent, payload: unknown): DomainEvent[] {
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

const BY_PROVIDER: Partial<Record<EventProvider, InboundHandler>> = {
  github: byType(GITHUB),
  gitlab: byType(GITLAB),
  datadog: datadogHandler,
  sentry: sentryHandler,
};

/** The default internal handler: dispatches on provider; Jira, Figma, Slack and Standard only fan out. */
export const domainEventsHandler: InboundHandler = (event, payload) =>
  BY_PROVIDER[event.provider]?.(event, payload) ?? [];

/** The body as JSON when it is JSON (Slack slash commands are form-encoded: kept as text). */
export function parsePayload(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
