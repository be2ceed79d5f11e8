import { fetchNoRedirect } from "../net/outbound-url.ts";
import type { GateStatus, GateVerdict } from "./gate.ts";

/**
 * The slice of the GitHub REST API the CI governor needs: check runs (GitHub Apps) and, for tokens that
 * may not create check runs (PATs get 403 "Resource not accessible by personal access token"), commit
 * statuses. `fetch` is injected so tests can point the client at a fake server.
 */
export type GitHubClientOptions = {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  userAgent?: string;
};

export class GitHubError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
    this.name = "GitHubError";
  }
}

export type CheckRunInput = {
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  detailsUrl?: string;
  externalId?: string;
};

export type PullFile = { filename: string; status: string };
export type IssueComment = { id: number; body: string; url: string };

export type CommitStatusInput = {
  state: "success" | "failure" | "error" | "pending";
  context: string;
  description: string;
  targetUrl?: string;
};

export class GitHubClient {
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #userAgent: string;

  constructor(options: GitHubClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token;
    // Never follow a redirect (shared/net/outbound-url.ts): a 3xx is an error like any other.
    this.#fetch = fetchNoRedirect(options.fetch ?? ((input, init) => fetch(input, init)));
    this.#userAgent = options.userAgent ?? "shifty-ci-governor";
  }

  /** POST /repos/{owner}/{repo}/check-runs → the check run id. */
  async createCheckRun(
    owner: string,
    repo: string,
    input: CheckRunInput,
  ): Promise<{ id: number; url: string | null }> {
    const body: Record<string, unknown> = {
      name: input.name,
      head_sha: input.headSha,
      status: "completed",
      conclusion: input.conclusion,
      completed_at: new Date().toISOString(),
      output: { title: input.title, summary: input.summary },
    };
    if (input.detailsUrl) body.details_url = input.detailsUrl;
    if (input.externalId) body.external_id = input.externalId;
    const res = (await this.#request("POST", `/repos/${enc(owner)}/${enc(repo)}/check-runs`, body)) as {
      id: number;
      html_url?: string;
    };
    return { id: res.id, url: res.html_url ?? null };
  }

  /** POST /repos/{owner}/{repo}/statuses/{sha} → the status id. */
  async createCommitStatus(
    owner: string,
    repo: string,
    sha: string,
    input: CommitStatusInput,
  ): Promise<{ id: number }> {
    const body: Record<string, unknown> = {
      state: input.state,
      context: input.context,
      // GitHub rejects descriptions over 140 characters.
      description: input.description.length > 140 ? `${input.description.slice(0, 139)}…` : input.description,
    };
    if (input.targetUrl) body.target_url = input.targetUrl;
    const res = (await this.#request(
      "POST",
      `/repos/${enc(owner)}/${enc(repo)}/statuses/${enc(sha)}`,
      body,
    )) as {
      id: number;
    };
    return { id: res.id };
  }

  /** GET /repos/{owner}/{repo}: the repository as the token sees it (404 when it may not see it). */
  async getRepository(owner: string, repo: string): Promise<{ fullName: string; canPush: boolean | null }> {
    const res = (await this.#request("GET", `/repos/${enc(owner)}/${enc(repo)}`)) as {
      full_name?: unknown;
      permissions?: { push?: unknown };
    };
    const push = res.permissions?.push;
    return {
      fullName: typeof res.full_name === "string" ? res.full_name : `${owner}/${repo}`,
      canPush: typeof push === "boolean" ? push : null,
    };
  }

  /** GET /repos/{owner}/{repo}/pulls/{number}/files (first 100 files: enough to judge a review). */
  async listPullFiles(owner: string, repo: string, pull: number): Promise<PullFile[]> {
    const files = (await this.#request(
      "GET",
      `/repos/${enc(owner)}/${enc(repo)}/pulls/${pull}/files?per_page=100`,
    )) as { filename?: unknown; status?: unknown }[];
    return (Array.isArray(files) ? files : []).flatMap((f) =>
      typeof f.filename === "string"
        ? [{ filename: f.filename, status: String(f.status ?? "modified") }]
        : [],
    );
  }

  /** GET /repos/{owner}/{repo}/issues/{number}/comments (a pull request is an issue here). */
  async listIssueComments(owner: string, repo: string, issue: number): Promise<IssueComment[]> {
    const comments = (await this.#request(
      "GET",
      `/repos/${enc(owner)}/${enc(repo)}/issues/${issue}/comments?per_page=100`,
    )) as { id?: unknown; body?: unknown; html_url?: unknown }[];
    return (Array.isArray(comments) ? comments : []).flatMap((c) =>
      typeof c.id === "number"
        ? [{ id: c.id, body: String(c.body ?? ""), url: String(c.html_url ?? "") }]
        : [],
    );
  }

  /** POST a new comment, or PATCH comment `commentId` when given. */
  async upsertIssueComment(
    owner: string,
    repo: string,
    issue: number,
    body: string,
    commentId?: number,
  ): Promise<IssueComment> {
    const res = (await (commentId === undefined
      ? this.#request("POST", `/repos/${enc(owner)}/${enc(repo)}/issues/${issue}/comments`, { body })
      : this.#request("PATCH", `/repos/${enc(owner)}/${enc(repo)}/issues/comments/${commentId}`, {
          body,
        }))) as {
      id: number;
      html_url?: string;
    };
    return { id: res.id, body, url: res.html_url ?? "" };
  }

  async #request(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.#fetch(`${this.#baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.#token}`,
        Accept: "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": this.#userAgent,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not JSON: keep the raw text
      }
      throw new GitHubError(res.status, `GitHub ${method} ${path} → ${res.status}: ${message}`);
    }
    return text ? JSON.parse(text) : {};
  }
}

const enc = encodeURIComponent;

export const GATE_CHECK_NAME = "Shifty quality gate";

export type GateReport = {
  kind: "check_run" | "status";
  id: number;
  /** Set when the check run was refused and we fell back to a commit status. */
  fallbackReason: string | null;
};

const CONCLUSION: Record<GateStatus, CheckRunInput["conclusion"]> = {
  pass: "success",
  fail: "failure",
  warn: "neutral",
};

/** The check run's markdown summary: counts, then each rule's verdict. */
export function gateSummary(
  gate: GateVerdict,
  run: { total: number; passed: number; failed: number; skipped: number; flaky: number; healed: number },
): { title: string; summary: string } {
  const title =
    gate.status === "pass"
      ? `Passed: ${run.passed + run.flaky}/${run.total - run.skipped} tests`
      : gate.status === "warn"
        ? `Passed with warnings: ${run.passed + run.flaky}/${run.total - run.skipped} tests`
        : `Failed: ${run.failed} failing test(s)`;
  const icon: Record<GateStatus, string> = { pass: "✅", fail: "❌", warn: "⚠️" };
  const lines = [
    `| total | passed | failed | skipped | flaky | healed |`,
    `|---|---|---|---|---|---|`,
    `| ${run.total} | ${run.passed} | ${run.failed} | ${run.skipped} | ${run.flaky} | ${run.healed} |`,
    "",
    ...gate.reasons.map((r) => `- ${icon[r.status]} **${r.rule}**: ${r.message}`),
  ];
  return { title, summary: lines.join("\n") };
}

/**
 * Reports a run's gate on the commit: a check run, or a commit status when the token may not create
 * check runs (403). Other errors propagate for the caller to record.
 */
export async function reportGate(
  client: GitHubClient,
  target: { owner: string; repo: string; sha: string; detailsUrl?: string; runId?: string },
  gate: GateVerdict,
  run: Parameters<typeof gateSummary>[1],
): Promise<GateReport> {
  const { title, summary } = gateSummary(gate, run);
  try {
    const check = await client.createCheckRun(target.owner, target.repo, {
      name: GATE_CHECK_NAME,
      headSha: target.sha,
      conclusion: CONCLUSION[gate.status],
      title,
      summary,
      detailsUrl: target.detailsUrl,
      externalId: target.runId,
    });
    return { kind: "check_run", id: check.id, fallbackReason: null };
  } catch (error) {
    if (!(error instanceof GitHubError) || error.status !== 403) throw error;
    const status = await client.createCommitStatus(target.owner, target.repo, target.sha, {
      state: gate.status === "fail" ? "failure" : "success",
      context: GATE_CHECK_NAME,
      description:
        gate.status === "warn" ? `${title} (warnings)`.replace("Passed with warnings", "Passed") : title,
      targetUrl: target.detailsUrl,
    });
    return { kind: "status", id: status.id, fallbackReason: error.message };
  }
}
