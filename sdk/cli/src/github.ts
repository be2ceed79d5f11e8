/**
 * The few GitHub REST calls `shifty heals --fix --pr` needs: a branch, one commit with the fixed files
 * (git blobs → tree → commit → ref), and a pull request.
 */
export type GitHubOptions = {
  token: string;
  /** owner/name, as in GITHUB_REPOSITORY. */
  repository: string;
  /** Default https://api.github.com (GITHUB_API_URL on GitHub Enterprise). */
  apiUrl?: string;
  fetch?: typeof fetch;
};

export class GitHubError extends Error {
  override name = "GitHubError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class GitHubClient {
  private readonly token: string;
  private readonly repo: string;
  private readonly apiUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: GitHubOptions) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(options.repository)) {
      throw new Error(`GITHUB_REPOSITORY must be owner/name, got "${options.repository}"`);
    }
    this.token = options.token;
    this.repo = options.repository;
    this.apiUrl = (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetchImpl(`${this.apiUrl}/repos/${this.repo}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "shifty-cli",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not JSON
      }
      const hint =
        res.status === 401
          ? " (check GITHUB_TOKEN)"
          : res.status === 403 || res.status === 404
            ? " (does the token have contents:write and pull-requests:write on this repository?)"
            : "";
      throw new GitHubError(res.status, `GitHub ${method} ${path}: ${res.status} ${message}${hint}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  defaultBranch(): Promise<string> {
    return this.call<{ default_branch: string }>("GET", "").then((r) => r.default_branch);
  }

  /**
   * Commits `files` (path → new content) on a new branch from `base` and opens a pull request.
   * Returns the PR's number and URL.
   */
  async openPullRequest(input: {
    base?: string;
    branch: string;
    title: string;
    body: string;
    message: string;
    files: { path: string; content: string }[];
  }): Promise<{ number: number; url: string; branch: string }> {
    const base = input.base ?? (await this.defaultBranch());
    const ref = await this.call<{ object: { sha: string } }>(
      "GET",
      `/git/ref/heads/${encodeURIComponent(base)}`,
    );
    const parent = ref.object.sha;
    const parentCommit = await this.call<{ tree: { sha: string } }>("GET", `/git/commits/${parent}`);
    const tree: { path: string; mode: "100644"; type: "blob"; sha: string }[] = [];
    for (const file of input.files) {
      const blob = await this.call<{ sha: string }>("POST", "/git/blobs", {
        content: file.content,
        encoding: "utf-8",
      });
      tree.push({ path: file.path, mode: "100644", type: "blob", sha: blob.sha });
    }
    const newTree = await this.call<{ sha: string }>("POST", "/git/trees", {
      base_tree: parentCommit.tree.sha,
      tree,
    });
    const commit = await this.call<{ sha: string }>("POST", "/git/commits", {
      message: input.message,
      tree: newTree.sha,
      parents: [parent],
    });
    await this.call("POST", "/git/refs", { ref: `refs/heads/${input.branch}`, sha: commit.sha });
    const pr = await this.call<{ number: number; html_url: string }>("POST", "/pulls", {
      title: input.title,
      head: input.branch,
      base,
      body: input.body,
    });
    return { number: pr.number, url: pr.html_url, branch: input.branch };
  }
}
