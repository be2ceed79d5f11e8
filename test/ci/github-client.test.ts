import { describe, expect, it } from "vitest";
import { GATE_CHECK_NAME, GitHubClient, GitHubError, reportGate } from "../../shared/ci/github.ts";

type Seen = { method: string; url: string; headers: Headers; body: Record<string, unknown> };

/** A fake GitHub API: records requests, answers from a route table, 404 otherwise. */
function fakeGitHub(routes: Record<string, (req: Seen) => Response>) {
  const seen: Seen[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const entry: Seen = {
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: (await req.json()) as Record<string, unknown>,
    };
    seen.push(entry);
    const path = new URL(req.url).pathname;
    const handler = routes[`${req.method} ${path}`];
    return handler ? handler(entry) : Response.json({ message: "Not Found" }, { status: 404 });
  };
  return { seen, fetch: fetchFn };
}

function expectGitHubHeaders(h: Headers, token: string) {
  expect(h.get("authorization")).toBe(`Bearer ${token}`);
  expect(h.get("accept")).toBe("application/vnd.github+json");
  expect(h.get("x-github-api-version")).toBe("2022-11-28");
  expect(h.get("user-agent")).toBeTruthy();
  expect(h.get("content-type")).toBe("application/json");
}

const SHA = "0123456789abcdef0123456789abcdef01234567";
const counts = { total: 10, passed: 7, failed: 2, skipped: 1, flaky: 0, healed: 0 };

describe("GitHub client", () => {
  it("creates a completed check run with conclusion and output", async () => {
    const gh = fakeGitHub({
      "POST /repos/acme/shop/check-runs": () =>
        Response.json({ id: 42, html_url: "https://github.com/acme/shop/runs/42" }, { status: 201 }),
    });
    const client = new GitHubClient({ baseUrl: "https://gh.test/", token: "ghs_token123", fetch: gh.fetch });
    const report = await reportGate(
      client,
      { owner: "acme", repo: "shop", sha: SHA, detailsUrl: "https://ci.test/1", runId: "run_1" },
      { status: "fail", reasons: [{ rule: "noNewFailures", status: "fail", message: "2 new failure(s)" }] },
      counts,
    );
    expect(report).toEqual({ kind: "check_run", id: 42, fallbackReason: null });
    expect(gh.seen).toHaveLength(1);
    const req = gh.seen[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("https://gh.test/repos/acme/shop/check-runs");
    expectGitHubHeaders(req.headers, "ghs_token123");
    expect(req.body).toMatchObject({
      name: GATE_CHECK_NAME,
      head_sha: SHA,
      status: "completed",
      conclusion: "failure",
      details_url: "https://ci.test/1",
      external_id: "run_1",
      output: { title: "Failed: 2 failing test(s)" },
    });
    expect((req.body.output as { summary: string }).summary).toContain("**noNewFailures**: 2 new failure(s)");
  });

  it("warn maps to a neutral check run", async () => {
    const gh = fakeGitHub({
      "POST /repos/acme/shop/check-runs": () => Response.json({ id: 7 }, { status: 201 }),
    });
    const client = new GitHubClient({
      baseUrl: "https://gh.test",
      token: "t0k3n-xxxxxxxxxxxxxxxx",
      fetch: gh.fetch,
    });
    await reportGate(
      client,
      { owner: "acme", repo: "shop", sha: SHA },
      { status: "warn", reasons: [] },
      counts,
    );
    expect(gh.seen[0]!.body.conclusion).toBe("neutral");
  });

  it("falls back to a commit status when check runs are refused (403)", async () => {
    const gh = fakeGitHub({
      "POST /repos/acme/shop/check-runs": () =>
        Response.json({ message: "Resource not accessible by personal access token" }, { status: 403 }),
      [`POST /repos/acme/shop/statuses/${SHA}`]: () =>
        Response.json({ id: 9001, state: "success" }, { status: 201 }),
    });
    const client = new GitHubClient({ baseUrl: "https://gh.test", token: "ghp_pat", fetch: gh.fetch });
    const report = await reportGate(
      client,
      { owner: "acme", repo: "shop", sha: SHA, detailsUrl: "https://ci.test/1" },
      { status: "pass", reasons: [] },
      counts,
    );
    expect(report.kind).toBe("status");
    expect(report.id).toBe(9001);
    expect(report.fallbackReason).toContain("Resource not accessible by personal access token");
    const status = gh.seen[1]!;
    expect(status.url).toBe(`https://gh.test/repos/acme/shop/statuses/${SHA}`);
    expectGitHubHeaders(status.headers, "ghp_pat");
    expect(status.body).toEqual({
      state: "success",
      context: GATE_CHECK_NAME,
      description: "Passed: 7/9 tests",
      target_url: "https://ci.test/1",
    });
  });

  it("other errors propagate with GitHub's message", async () => {
    const gh = fakeGitHub({
      "POST /repos/acme/shop/check-runs": () =>
        Response.json({ message: "Bad credentials" }, { status: 401 }),
    });
    const client = new GitHubClient({ baseUrl: "https://gh.test", token: "bad", fetch: gh.fetch });
    const error = await reportGate(
      client,
      { owner: "acme", repo: "shop", sha: SHA },
      { status: "pass", reasons: [] },
      counts,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).status).toBe(401);
    expect((error as GitHubError).message).toContain("Bad credentials");
    expect(gh.seen).toHaveLength(1);
  });
});
