import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat, main } from "../src/index.ts";

function io(responses: Response[], env: Record<string, string> = {}) {
  const out = {
    stdout: "",
    stderr: "",
    requests: [] as { url: string; method: string; body: string | null; type: string | null }[],
  };
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    out.requests.push({
      url: String(input),
      method: init?.method ?? "GET",
      body: (init?.body as string) ?? null,
      type: new Headers(init?.headers).get("content-type"),
    });
    const next = responses.shift();
    if (!next) throw new TypeError("fetch failed");
    return next;
  }) as typeof fetch;
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
      env: { SHIFTY_URL: "http://shifty.test", SHIFTY_API_KEY: "shf_k", SHIFTY_PROJECT_ID: "prj_1", ...env },
      cwd: mkdtempSync(join(tmpdir(), "shifty-cli-")),
      fetch: fetchFn,
    },
  };
}

const gate = (status: string) =>
  Response.json({ status, reasons: [{ rule: "minPassRate", status, message: "95% ≥ 90%" }], evaluatedAt: 1 });

describe("shifty CLI", () => {
  it("gate: exit 0 on pass and warn, 1 on fail, 2 without --run", async () => {
    for (const [status, code] of [
      ["pass", 0],
      ["warn", 0],
      ["fail", 1],
    ] as const) {
      const t = io([gate(status)]);
      expect(await main(["gate", "--run", "run_1"], t.io)).toBe(code);
      expect(t.out.stdout).toContain(`gate ${status.toUpperCase()} for run_1`);
    }
    const t = io([]);
    expect(await main(["gate"], t.io)).toBe(2);
    expect(t.out.stderr).toContain("gate needs --run");
  });

  it("upload: detects the format by content, sends CI metadata and prints the run id", async () => {
    const t = io(
      [
        Response.json({
          id: "run_9",
          total: 1,
          passed: 1,
          failed: 0,
          flaky: 0,
          healed: 0,
          gate: { status: "pass" },
        }),
      ],
      {
        GITHUB_ACTIONS: "true",
        GITHUB_SHA: "abcdef1234567",
        GITHUB_REF: "refs/pull/12/merge",
        GITHUB_HEAD_REF: "feature",
        GITHUB_BASE_REF: "main",
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_REPOSITORY: "acme/shop",
        GITHUB_RUN_ID: "99",
      },
    );
    writeFileSync(
      join(t.io.cwd, "report.xml"),
      '<?xml version="1.0"?><testsuites><testsuite name="a"/></testsuites>',
    );
    expect(await main(["upload", "report.xml"], t.io)).toBe(0);
    expect(t.out.stdout).toBe("run_9\n");
    const url = new URL(t.out.requests[0]!.url);
    expect(url.pathname).toBe("/v1/projects/prj_1/runs");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      commit: "abcdef1234567",
      branch: "feature",
      baseBranch: "main",
      pr: "12",
      provider: "github",
      runUrl: "https://github.com/acme/shop/actions/runs/99",
      buildId: "99-1",
    });
    expect(t.out.requests[0]!.type).toBe("application/xml");
    expect(t.out.stderr).toContain("uploading report.xml (junit");
  });

  it("explains a refused key, a missing project and an unreachable server", async () => {
    const problem = (status: number, detail: string) =>
      new Response(JSON.stringify({ type: "t", title: "x", status, detail, requestId: "req_7" }), { status });
    const a = io([problem(401, "Invalid API key")]);
    expect(await main(["gate", "--run", "run_1"], a.io)).toBe(1);
    expect(a.out.stderr).toMatch(/check SHIFTY_API_KEY \(request id req_7\)/);
    const b = io([problem(404, "Project not found")]);
    expect(await main(["heals"], b.io)).toBe(1);
    expect(b.out.stderr).toMatch(/Project not found: check SHIFTY_PROJECT_ID/);
    const c = io([]);
    expect(await main(["gate", "--run", "run_1"], c.io)).toBe(2);
    expect(c.out.stderr).toMatch(/Cannot reach Shifty .*Is SHIFTY_URL/);
  });

  it("usage errors exit 2", async () => {
    const t = io([], { SHIFTY_API_KEY: "" });
    expect(await main(["gate", "--run", "run_1"], t.io)).toBe(2);
    expect(t.out.stderr).toContain("missing SHIFTY_API_KEY");
    expect(await main(["frobnicate"], io([]).io)).toBe(2);
    expect(await main(["upload", "nope.xml"], io([]).io)).toBe(2);
    expect(await main(["heals", "--apply"], io([]).io)).toBe(2);
  });

  it("detectFormat tells JUnit from Playwright JSON from anything else", () => {
    expect(detectFormat("<testsuite name='x'></testsuite>")).toBe("junit");
    expect(detectFormat('{"config":{},"suites":[]}')).toBe("playwright");
    expect(detectFormat("<html></html>")).toBeNull();
    expect(detectFormat("{nope")).toBeNull();
  });
});
