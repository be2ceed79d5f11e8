import { toBase64 } from "../crypto/hash.ts";
import { checkOutboundHost, fetchNoRedirect } from "../net/outbound-url.ts";
import type { AdfDoc } from "./adf.ts";

/**
 * A typed client for the Jira Cloud REST v3 calls Shifty makes: `POST /rest/api/3/issue`
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post),
 * comments, and the connection check (`GET /rest/api/3/myself`, `GET /rest/api/3/project/{key}`).
 * Auth is Basic `email:apiToken` (an Atlassian API token). `fetch` is injectable so tests can point the
 * client at a fake Jira that checks the request; `baseUrl` (JIRA_API_URL, refused in production by
 * workers/env.ts) sends every call to a local fake instead of `https://{host}`.
 */
export type JiraCredentials = { host: string; email: string; apiToken: string };

export type CreateIssueInput = {
  projectKey: string;
  issueType: string;
  summary: string;
  description: AdfDoc;
  labels?: string[];
};

export type CreatedIssue = { id: string; key: string; self: string; url: string };

/** Who the credentials sign in as, and the project issues will be created in. */
export type JiraAccess = { user: string; project: { key: string; name: string } };

export class JiraError extends Error {
  readonly status: number;
  /** Jira's `errorMessages` and `errors` flattened, for the problem detail. */
  readonly messages: string[];
  constructor(status: number, messages: string[]) {
    super(`Jira answered ${status}${messages.length ? `: ${messages.join("; ")}` : ""}`);
    this.name = "JiraError";
    this.status = status;
    this.messages = messages;
  }
}

/** A Jira Cloud site host: a DNS name (no scheme, port, path or IP literal), e.g. `acme.atlassian.net`. */
export const JIRA_HOST_PATTERN =
  /^(?=.{4,253}$)(?!\d+\.\d+\.\d+\.\d+$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export class JiraClient {
  private readonly base: string;
  private readonly authorization: string;
  private readonly fetchFn: typeof fetch;

  constructor(
    credentials: JiraCredentials,
    fetchFn: typeof fetch = (input, init) => fetch(input, init),
    baseUrl?: string,
  ) {
    const host = credentials.host.toLowerCase();
    const verdict = checkOutboundHost(host);
    if (!JIRA_HOST_PATTERN.test(host) || !verdict.ok) throw new Error(`not a Jira Cloud host: ${host}`);
    this.base = baseUrl ? baseUrl.replace(/\/+$/, "") : `https://${host}`;
    this.authorization = `Basic ${toBase64(new TextEncoder().encode(`${credentials.email}:${credentials.apiToken}`))}`;
    this.fetchFn = fetchNoRedirect(fetchFn);
  }

  async createIssue(input: CreateIssueInput): Promise<CreatedIssue> {
    const body = {
      fields: {
        project: { key: input.projectKey },
        issuetype: { name: input.issueType },
        summary: input.summary.slice(0, 255),
        description: input.description,
        ...(input.labels?.length ? { labels: input.labels } : {}),
      },
    };
    const { status, payload } = await this.post("/rest/api/3/issue", body);
    if (status !== 201 && status !== 200) throw new JiraError(status, jiraMessages(payload));
    const { id, key, self } = (payload ?? {}) as { id?: unknown; key?: unknown; self?: unknown };
    if (typeof key !== "string" || typeof id !== "string")
      throw new JiraError(502, ["unexpected response shape"]);
    return { id, key, self: typeof self === "string" ? self : "", url: `${this.base}/browse/${key}` };
  }

  /** `POST /rest/api/3/issue/{key}/comment` with an ADF body (an incident's resolution, for example). */
  async addComment(issueKey: string, body: AdfDoc): Promise<{ id: string }> {
    const { status, payload } = await this.post(`/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment`, {
      body,
    });
    if (status !== 201 && status !== 200) throw new JiraError(status, jiraMessages(payload));
    return { id: String(payload?.id ?? "") };
  }

  /**
   * Checks the credentials and the project without writing anything: `GET /rest/api/3/myself` (401 for
   * a wrong email or token), then `GET /rest/api/3/project/{key}` (404 when the project does not exist
   * or the account may not see it). Throws a JiraError naming the failing step.
   */
  async checkAccess(projectKey: string): Promise<JiraAccess> {
    const me = await this.get("/rest/api/3/myself");
    if (me.status !== 200) throw new JiraError(me.status, ["signing in failed", ...jiraMessages(me.payload)]);
    const project = await this.get(`/rest/api/3/project/${encodeURIComponent(projectKey)}`);
    if (project.status !== 200) {
      throw new JiraError(project.status, [
        `project ${projectKey} not found`,
        ...jiraMessages(project.payload),
      ]);
    }
    const user = me.payload?.displayName ?? me.payload?.emailAddress ?? me.payload?.accountId;
    const name = project.payload?.name;
    return {
      user: typeof user === "string" ? user : "",
      project: { key: projectKey, name: typeof name === "string" ? name : projectKey },
    };
  }

  private get(path: string) {
    return this.call("GET", path);
  }

  private post(path: string, body: unknown) {
    return this.call("POST", path, body);
  }

  private async call(method: "GET" | "POST", path: string, body?: unknown) {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers: {
          authorization: this.authorization,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new JiraError(0, [`could not reach ${this.base}: ${String(error)}`]);
    }
    const payload = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    return { status: res.status, payload };
  }
}

function jiraMessages(payload: Record<string, unknown> | null): string[] {
  if (!payload) return [];
  const out: string[] = [];
  if (Array.isArray(payload.errorMessages)) out.push(...payload.errorMessages.map(String));
  if (payload.errors && typeof payload.errors === "object") {
    for (const [field, message] of Object.entries(payload.errors)) out.push(`${field}: ${String(message)}`);
  }
  return out.slice(0, 10);
}
