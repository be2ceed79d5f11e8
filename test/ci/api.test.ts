import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { refreshTestStats } from "../../shared/ci/rollup.ts";
import type { Run, CiTest as TestItem } from "../../shared/contract/ci.ts";
import { createDb } from "../../shared/db/client.ts";
import { PLAYWRIGHT_JSON_COUNTS, playwrightJson } from "../fixtures/ci/playwright-json.ts";
import surefire from "../fixtures/ci/surefire.xml?raw";
import { api, countOf, newTenant, postRun, problem, type Tenant, uploadRun } from "../helpers.ts";
import { keyWith } from "../support/keys.ts";

type Page<T> = { items: T[]; nextCursor: string | null };

const sha = (n: number) => n.toString(16).padStart(40, "a");

function junit(
  cases: Record<string, "pass" | "fail" | "skip" | "flaky">,
  message = "expected 1 to be 2",
): string {
  const body = Object.entries(cases)
    .map(([name, outcome]) => {
      const inner =
        outcome === "fail"
          ? `<failure message="${message}" type="AssertionError">at check (spec/${name}.ts:1:1)</failure>`
          : outcome === "skip"
            ? "<skipped/>"
            : outcome === "flaky"
              ? `<flakyFailure message="${message}"/>`
              : "";
      return `<testcase classname="suite.Spec" name="${name}" time="0.1">${inner}</testcase>`;
    })
    .join("");
  return `<?xml version="1.0"?><testsuites><testsuite name="suite.Spec">${body}</testsuite></testsuites>`;
}

async function get<T>(t: Tenant, path: string, token = t.apiKey): Promise<T> {
  const res = await api(path, { token });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function testsOf(t: Tenant, query = ""): Promise<TestItem[]> {
  return (await get<Page<TestItem>>(t, `/v1/projects/${t.projectId}/tests?limit=100${query}`)).items;
}

async function putRules(t: Tenant, rules: Record<string, unknown>) {
  const res = await api(`/v1/projects/${t.projectId}/gate-rules`, {
    method: "PUT",
    token: t.apiKey,
    json: rules,
  });
  expect(res.status).toBe(200);
  return res.json();
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("POST /v1/projects/{projectId}/runs", () => {
  it("ingests JUnit, returns the run summary and serves run, results and gate", async () => {
    const t = await newTenant();
    const res = await postRun(t, surefire, {
      commit: sha(1),
      branch: "main",
      provider: "github",
      buildId: "1001",
      runUrl: "https://github.com/acme/shop/actions/runs/1001",
      pr: "12",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("ratelimit-policy")).toMatch(/^"ingest";/);
    const run = (await res.json()) as Run & Record<string, unknown>;
    expect(run).toMatchObject({
      projectId: t.projectId,
      status: "failed",
      format: "junit",
      total: 5,
      passed: 2,
      failed: 1,
      skipped: 1,
      flaky: 1,
      healed: 0,
      durationMs: 4117,
      commit: sha(1),
      branch: "main",
      baseBranch: null,
      pr: 12,
      provider: "github",
      runUrl: "https://github.com/acme/shop/actions/runs/1001",
      newFailures: 1,
      github: null,
    });
    expect(run.id).toMatch(/^run_/);
    expect(run.gate.status).toBe("fail");
    expect(run.gate.reasons.map((r) => `${r.rule}:${r.status}`)).toEqual([
      "minPassRate:fail",
      "noNewFailures:fail",
      "noBrokenTests:pass",
      "maxHealsBeforeWarning:pass",
    ]);

    expect(await get<Run>(t, `/v1/runs/${run.id}`)).toMatchObject({ id: run.id, total: 5 });
    const gate = await get<{ status: string; reasons: unknown[]; evaluatedAt: number }>(
      t,
      `/v1/runs/${run.id}/gate`,
    );
    expect(gate.status).toBe("fail");
    expect(gate.reasons).toHaveLength(4);
    expect(gate.evaluatedAt).toBeGreaterThan(0);

    const failed = await get<
      Page<{ name: string; status: string; message: string; clusterId: string; retries: number }>
    >(t, `/v1/runs/${run.id}/results?status=failed`);
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ name: "sendsReminder", status: "failed", retries: 2 });
    expect(failed.items[0]!.clusterId).toMatch(/^cls_/);

    const page1 = await get<Page<{ id: string }>>(t, `/v1/runs/${run.id}/results?limit=3`);
    expect(page1.items).toHaveLength(3);
    const page2 = await get<Page<{ id: string }>>(
      t,
      `/v1/runs/${run.id}/results?limit=3&cursor=${page1.nextCursor}`,
    );
    expect(page2.items).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();
    expect(new Set([...page1.items, ...page2.items].map((r) => r.id)).size).toBe(5);

    const runs = await get<Page<Run>>(t, `/v1/projects/${t.projectId}/runs?branch=main&status=failed`);
    expect(runs.items.map((r) => r.id)).toEqual([run.id]);
    expect((await get<Page<Run>>(t, `/v1/projects/${t.projectId}/runs?branch=dev`)).items).toEqual([]);
  });

  it("ingests a Playwright JSON report with retries, flaky and heals", async () => {
    const t = await newTenant();
    const run = await uploadRun(t, playwrightJson, { branch: "main" }, "application/json");
    expect(run).toMatchObject({ ...PLAYWRIGHT_JSON_COUNTS, status: "failed" });
    const flaky = await get<Page<{ name: string; retries: number }>>(
      t,
      `/v1/runs/${run.id}/results?status=flaky`,
    );
    expect(flaky.items[0]).toMatchObject({
      name: "[chromium] payment › declined card shows a message",
      retries: 1,
    });
    // A pass on retry is flaky evidence straight away.
    const list = await get<Page<TestItem>>(t, `/v1/projects/${t.projectId}/flaky`);
    expect(list.items.map((x) => x.name)).toEqual(["[chromium] payment › declined card shows a message"]);
    expect(list.items[0]!.stats).toMatchObject({ sampleSize: 1, failures: 1, failureRate: 1 });
  });

  it("is idempotent per provider + buildId + report", async () => {
    const t = await newTenant();
    const report = junit({ a: "pass", b: "fail" });
    const first = await postRun(t, report, { provider: "circleci", buildId: "77", commit: sha(2) });
    expect(first.status).toBe(201);
    const again = await postRun(t, report, { provider: "circleci", buildId: "77", commit: sha(2) });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Run).id).toBe(((await first.json()) as Run).id);
    // Another shard of the same build (different report) is another run.
    expect((await postRun(t, junit({ c: "pass" }), { provider: "circleci", buildId: "77" })).status).toBe(
      201,
    );
    // Without a buildId every upload is a new run.
    expect((await postRun(t, report)).status).toBe(201);
    expect((await postRun(t, report)).status).toBe(201);
    const runs = await get<Page<Run>>(t, `/v1/projects/${t.projectId}/runs`);
    expect(runs.items).toHaveLength(4);
  });

  it.each([
    ["text/plain", "hello", 415, /Send JUnit XML as application\/xml/],
    [
      "application/xml",
      `<testsuites>\n<testsuite name="a">\n<testcase name="x">\n</testsuite>\n</testsuites>`,
      400,
      /^line 4: unclosed tag <testcase>/,
    ],
    [
      "application/xml",
      "<results><ok/></results>",
      422,
      /^no <testsuite> or <testsuites> root \(found <results>\)$/,
    ],
    ["application/json", `{"config":{},"suites":[]}`, 422, /^Playwright report has no suites$/],
    ["application/json", `{"suites": [`, 400, /^malformed JSON/],
    ["application/xml", "   ", 400, /empty/],
  ])("%s %j → %i", async (type, body, status, detail) => {
    const t = await newTenant();
    const res = await postRun(t, body, {}, type);
    expect(res.status).toBe(status);
    expect((await problem(res)).detail).toMatch(detail);
  });

  it.each([
    [{ commit: "not-a-sha" }, "commit"],
    [{ provider: "travis" }, "provider"],
    [{ pr: "-3" }, "pr"],
    [{ runUrl: "javascript:alert(1)" }, "runUrl"],
  ])("rejects bad git metadata %j with 400", async (query, field) => {
    const t = await newTenant();
    const res = await postRun(t, junit({ a: "pass" }), query as Record<string, string>);
    expect(res.status).toBe(400);
    const p = await problem(res);
    expect(p.errors?.map((e) => e.path)).toContain(field);
  });

  it("refuses a report over 50 MiB with 413", async () => {
    const t = await newTenant();
    const big = `<testsuites>${"<!-- padding -->".repeat(Math.ceil((50 * 1024 * 1024 + 10) / 16))}</testsuites>`;
    const res = await postRun(t, big);
    expect(res.status).toBe(413);
    await problem(res);
  });
});

describe("tests, history and flakiness", () => {
  it("keeps a stable test id per (suite, name) and records history with run, commit and branch", async () => {
    const t = await newTenant();
    const r1 = await uploadRun(t, junit({ login: "pass", logout: "pass" }), {
      commit: sha(10),
      branch: "main",
    });
    const r2 = await uploadRun(t, junit({ login: "fail", logout: "pass" }), {
      commit: sha(11),
      branch: "feature/x",
    });
    const tests = await testsOf(t);
    expect(tests).toHaveLength(2);
    const login = tests.find((x) => x.name === "login")!;
    expect(login.id).toMatch(/^tst_/);
    const history = await get<Page<{ runId: string; commit: string; branch: string; status: string }>>(
      t,
      `/v1/tests/${login.id}/history`,
    );
    expect(history.items.map((h) => [h.runId, h.commit, h.branch, h.status])).toEqual([
      [r2.id, sha(11), "feature/x", "failed"],
      [r1.id, sha(10), "main", "passed"],
    ]);
    expect(await get<TestItem>(t, `/v1/tests/${login.id}`)).toMatchObject({ id: login.id, name: "login" });
  });

  it("a pass and a fail on the same commit make a test flaky, with Wilson interval", async () => {
    const t = await newTenant();
    await uploadRun(t, junit({ checkout: "fail", cart: "pass" }), { commit: sha(20), branch: "main" });
    await uploadRun(t, junit({ checkout: "pass", cart: "pass" }), { commit: sha(20), branch: "main" });
    const flaky = (await get<Page<TestItem>>(t, `/v1/projects/${t.projectId}/flaky`)).items;
    expect(flaky.map((x) => x.name)).toEqual(["checkout"]);
    const s = flaky[0]!.stats;
    expect(s.sampleSize).toBe(2);
    expect(s.failureRate).toBe(0.5);
    expect(s.wilson.low).toBeCloseTo(0.0945, 3);
    expect(s.wilson.high).toBeCloseTo(0.9055, 3);
    expect(s.lastFlipAt).toBeGreaterThan(0);
    expect((await testsOf(t, "&status=flaky")).map((x) => x.name)).toEqual(["checkout"]);
    expect((await testsOf(t, "&status=healthy")).map((x) => x.name)).toEqual(["cart"]);
  });

  it("consistent failures are broken and fail the noBrokenTests rule", async () => {
    const t = await newTenant();
    await putRules(t, { minPassRate: null, noNewFailures: false, noBrokenTests: true });
    let run: Run | undefined;
    for (let i = 0; i < 3; i++)
      run = await uploadRun(t, junit({ search: "fail", home: "pass" }), { commit: sha(30 + i) });
    expect((await testsOf(t, "&status=broken")).map((x) => x.name)).toEqual(["search"]);
    expect(run!.gate.status).toBe("fail");
    expect(run!.gate.reasons[0]).toEqual({
      rule: "noBrokenTests",
      status: "fail",
      message: '1 broken test(s): "search"',
    });
  });

  it("the cron rollup ages results out of the window", async () => {
    const t = await newTenant();
    await uploadRun(t, junit({ a: "flaky" }), { commit: sha(40) });
    expect((await testsOf(t, "&status=flaky")).length).toBe(1);
    const outcome = await refreshTestStats(createDb(env.DB), Date.now() + 15 * 24 * 3600 * 1000);
    expect(outcome.counts?.tests).toBeGreaterThanOrEqual(1);
    const [a] = await testsOf(t);
    expect(a).toMatchObject({ status: "healthy", stats: { sampleSize: 0 } });
  });
});

describe("quarantine", () => {
  it("manual quarantine keeps a failing test from failing the gate; release restores it", async () => {
    const t = await newTenant();
    await uploadRun(t, junit({ pay: "pass", ship: "pass" }), { commit: sha(50), branch: "main" });
    const pay = (await testsOf(t)).find((x) => x.name === "pay")!;
    const q = await api(`/v1/tests/${pay.id}/quarantine`, { method: "POST", token: t.apiKey });
    expect(q.status).toBe(200);
    expect(await q.json()).toMatchObject({ quarantined: true, quarantineReason: "manual" });
    expect((await testsOf(t, "&status=quarantined")).map((x) => x.id)).toEqual([pay.id]);

    const run = await uploadRun(t, junit({ pay: "fail", ship: "pass" }), { commit: sha(51), branch: "main" });
    expect(run.status).toBe("failed");
    expect(run.gate.status).toBe("pass");
    expect(run.gate.reasons[0]!.message).toContain("1 quarantined failure(s) ignored");

    const r = await api(`/v1/tests/${pay.id}/quarantine`, { method: "DELETE", token: t.apiKey });
    expect(await r.json()).toMatchObject({ quarantined: false, quarantineReason: null });
    const after = await uploadRun(t, junit({ pay: "fail", ship: "pass" }), {
      commit: sha(52),
      branch: "main",
    });
    expect(after.gate.status).toBe("fail");
  });

  it("auto-quarantines flaky tests when enabled and releases after K consecutive passes", async () => {
    const t = await newTenant();
    const rules = await putRules(t, { autoQuarantine: true, releaseAfterPasses: 2 });
    expect(rules).toMatchObject({
      autoQuarantine: true,
      releaseAfterPasses: 2,
      minPassRate: 1,
      noNewFailures: true,
    });
    await uploadRun(t, junit({ upload: "flaky", other: "pass" }), { commit: sha(60) });
    let [test] = await testsOf(t, "&status=quarantined");
    expect(test).toMatchObject({ name: "upload", quarantined: true, quarantineReason: "auto" });
    await uploadRun(t, junit({ upload: "pass", other: "pass" }), { commit: sha(61) });
    expect((await testsOf(t, "&status=quarantined")).length).toBe(1);
    await uploadRun(t, junit({ upload: "pass", other: "pass" }), { commit: sha(62) });
    expect((await testsOf(t, "&status=quarantined")).length).toBe(0);
    [test] = (await testsOf(t)).filter((x) => x.name === "upload");
    expect(test).toMatchObject({ quarantined: false, status: "flaky" });
    // Still flaky by its window, but no fresh flake: it stays released.
    await uploadRun(t, junit({ upload: "pass", other: "pass" }), { commit: sha(63) });
    expect((await testsOf(t, "&status=quarantined")).length).toBe(0);
  });
});

describe("new failures and the gate", () => {
  it("counts failures that are new against the base branch's latest run", async () => {
    const t = await newTenant();
    await uploadRun(t, junit({ a: "fail", b: "pass", c: "pass" }), { commit: sha(70), branch: "main" });
    const pr = await uploadRun(t, junit({ a: "fail", b: "fail", c: "pass" }), {
      commit: sha(71),
      branch: "feature/y",
      baseBranch: "main",
      pr: "5",
    });
    expect(pr.newFailures).toBe(1);
    const reason = pr.gate.reasons.find((r) => r.rule === "noNewFailures")!;
    expect(reason).toEqual({
      rule: "noNewFailures",
      status: "fail",
      message: `1 new failure(s) against main@${sha(70).slice(0, 7)}`,
    });
  });

  it("gate rules: GET defaults, PUT validates and applies, warn on heals", async () => {
    const t = await newTenant();
    const defaults = await get<Record<string, unknown>>(t, `/v1/projects/${t.projectId}/gate-rules`);
    expect(defaults).toEqual({
      minPassRate: 1,
      noNewFailures: true,
      noBrokenTests: true,
      maxHealsBeforeWarning: 10,
      autoQuarantine: false,
      releaseAfterPasses: 10,
      updatedAt: null,
    });
    for (const bad of [
      { minPassRate: 1.5 },
      { maxHealsBeforeWarning: -1 },
      { unknown: true },
      { noNewFailures: "yes" },
    ]) {
      const res = await api(`/v1/projects/${t.projectId}/gate-rules`, {
        method: "PUT",
        token: t.apiKey,
        json: bad,
      });
      expect(res.status).toBe(400);
      await problem(res);
    }
    await putRules(t, { minPassRate: 0.5, noNewFailures: false, maxHealsBeforeWarning: 0 });
    const run = await uploadRun(t, playwrightJson, {}, "application/json");
    expect(run.gate.status).toBe("warn");
    expect(run.gate.reasons.map((r) => `${r.rule}:${r.status}`)).toEqual([
      "minPassRate:pass",
      "noBrokenTests:pass",
      "maxHealsBeforeWarning:warn",
    ]);
  });
});

describe("failure clusters", () => {
  it("groups failures across tests and runs by normalised signature", async () => {
    const t = await newTenant();
    const r1 = await uploadRun(
      t,
      junit({ a: "fail", b: "fail", c: "pass" }, "Timed out after 2000 ms waiting for #row-17"),
      {
        commit: sha(80),
      },
    );
    await uploadRun(
      t,
      junit({ a: "fail", b: "pass", c: "fail" }, "Timed out after 3500 ms waiting for #row-4"),
      { commit: sha(81) },
    );
    await uploadRun(
      t,
      junit({ a: "pass", b: "pass", c: "fail" }, "TypeError: cannot read properties of undefined"),
      { commit: sha(82) },
    );
    const clusters = await get<
      Page<{
        id: string;
        count: number;
        testsAffected: number;
        sampleMessage: string;
        firstSeen: { runId: string; commit: string };
      }>
    >(t, `/v1/projects/${t.projectId}/clusters`);
    expect(clusters.items).toHaveLength(2);
    const timeout = clusters.items.find((c) => c.sampleMessage.startsWith("Timed out"))!;
    expect(timeout).toMatchObject({
      count: 4,
      testsAffected: 3,
      firstSeen: { runId: r1.id, commit: sha(80) },
    });
    const detail = await get<{ id: string; tests: { name: string; failures: number }[] }>(
      t,
      `/v1/clusters/${timeout.id}`,
    );
    expect(detail.tests[0]).toMatchObject({ name: "a", failures: 2 });
    expect(detail.tests.map((x) => x.name).sort()).toEqual(["a", "b", "c"]);
  });
});

describe("security", () => {
  it("another organisation's project, run, test and cluster ids are 404", async () => {
    const a = await newTenant("Alpha");
    const b = await newTenant("Beta");
    const run = await uploadRun(a, junit({ x: "fail" }), { commit: sha(90) });
    const [test] = await testsOf(a);
    const [cluster] = (await get<Page<{ id: string }>>(a, `/v1/projects/${a.projectId}/clusters`)).items;
    const paths = [
      `/v1/runs/${run.id}`,
      `/v1/runs/${run.id}/results`,
      `/v1/runs/${run.id}/gate`,
      `/v1/tests/${test!.id}`,
      `/v1/tests/${test!.id}/history`,
      `/v1/clusters/${cluster!.id}`,
      `/v1/projects/${a.projectId}/runs`,
      `/v1/projects/${a.projectId}/tests`,
      `/v1/projects/${a.projectId}/flaky`,
      `/v1/projects/${a.projectId}/clusters`,
      `/v1/projects/${a.projectId}/gate-rules`,
    ];
    for (const path of paths) {
      const res = await api(path, { token: b.apiKey });
      expect(res.status, path).toBe(404);
      await problem(res);
    }
    const up = await postRun({ ...b, projectId: a.projectId }, junit({ x: "pass" }));
    expect(up.status).toBe(404);
    const q = await api(`/v1/tests/${test!.id}/quarantine`, { method: "POST", token: b.apiKey });
    expect(q.status).toBe(404);
    const gh = await api(`/v1/projects/${a.projectId}/integrations/github`, {
      method: "PUT",
      token: b.apiKey,
      json: { token: "ghp_aaaaaaaaaaaaaaaaaaaaaaaa", owner: "acme", repo: "shop" },
    });
    expect(gh.status).toBe(404);
  });

  it("enforces permissions: runs:read, runs:write, projects:write, integrations:manage", async () => {
    const t = await newTenant();
    const reader = await keyWith(t, ["runs:read", "projects:read"]);
    const writer = await keyWith(t, ["runs:write", "runs:read"]);
    const none = await keyWith(t, ["projects:read"]);
    expect((await postRun(t, junit({ a: "pass" }), {}, "application/xml", reader)).status).toBe(403);
    const res = await postRun(t, junit({ a: "pass" }), {}, "application/xml", writer);
    expect(res.status).toBe(201);
    const run = (await res.json()) as Run;
    expect((await api(`/v1/runs/${run.id}`, { token: reader })).status).toBe(200);
    const denied = await api(`/v1/runs/${run.id}`, { token: none });
    expect(denied.status).toBe(403);
    expect((await problem(denied)).detail).toBe("Missing permission: runs:read");
    const [test] = await testsOf(t);
    expect((await api(`/v1/tests/${test!.id}/quarantine`, { method: "POST", token: reader })).status).toBe(
      403,
    );
    expect((await api(`/v1/tests/${test!.id}/quarantine`, { method: "POST", token: writer })).status).toBe(
      200,
    );
    const rules = await api(`/v1/projects/${t.projectId}/gate-rules`, {
      method: "PUT",
      token: writer,
      json: {},
    });
    expect(rules.status).toBe(403);
    const gh = await api(`/v1/projects/${t.projectId}/integrations/github`, { token: writer });
    expect(gh.status).toBe(403);
  });
});

describe("reporting to GitHub", () => {
  it("stores the token encrypted, masks it, and reports the gate as a check run after ingest", async () => {
    const t = await newTenant();
    const token = "ghs_abcdefghijklmnopqrstuvwxyz0123456789";
    const put = await api(`/v1/projects/${t.projectId}/integrations/github`, {
      method: "PUT",
      token: t.apiKey,
      json: { token, owner: "acme", repo: "shop" },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ owner: "acme", repo: "shop", token: "…6789" });
    const got = await get<{ token: string }>(t, `/v1/projects/${t.projectId}/integrations/github`);
    expect(got.token).toBe("…6789");
    const stored = await env.DB.prepare("SELECT token_sealed FROM ci_github WHERE project_id = ?")
      .bind(t.projectId)
      .first<{ token_sealed: string }>();
    expect(stored!.token_sealed).toMatch(/^v1\./);
    expect(stored!.token_sealed).not.toContain(token);

    const seen: { url: string; method: string; headers: Headers; body: Record<string, unknown> }[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const req = new Request(input, init);
      if (!req.url.startsWith("https://api.github.com/")) return realFetch(input, init);
      seen.push({
        url: req.url,
        method: req.method,
        headers: req.headers,
        body: (await req.json()) as Record<string, unknown>,
      });
      return Response.json({ id: 555 }, { status: 201 });
    });
    const run = await uploadRun(t, junit({ a: "pass", b: "fail" }), { commit: sha(99), branch: "main" });
    expect(run.github).toEqual({ state: "pending" });
    let after: Run | undefined;
    for (let i = 0; i < 50; i++) {
      after = await get<Run>(t, `/v1/runs/${run.id}`);
      if (after.github?.state !== "pending") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(after!.github).toMatchObject({ state: "reported", kind: "check_run", id: 555 });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe("POST");
    expect(seen[0]!.url).toBe("https://api.github.com/repos/acme/shop/check-runs");
    expect(seen[0]!.headers.get("authorization")).toBe(`Bearer ${token}`);
    expect(seen[0]!.headers.get("x-github-api-version")).toBe("2022-11-28");
    expect(seen[0]!.body).toMatchObject({
      head_sha: sha(99),
      conclusion: "failure",
      name: "Shifty quality gate",
    });

    // No commit → nothing to report.
    const noCommit = await uploadRun(t, junit({ a: "pass" }));
    expect(noCommit.github).toBeNull();

    const del = await api(`/v1/projects/${t.projectId}/integrations/github`, {
      method: "DELETE",
      token: t.apiKey,
    });
    expect(del.status).toBe(204);
    expect((await api(`/v1/projects/${t.projectId}/integrations/github`, { token: t.apiKey })).status).toBe(
      404,
    );
  });

  it("validates the integration body", async () => {
    const t = await newTenant();
    for (const json of [
      { token: "short", owner: "acme", repo: "shop" },
      { token: "ghp_aaaaaaaaaaaaaaaaaaaaaaaa", owner: "-bad-", repo: "shop" },
      { token: "ghp_aaaaaaaaaaaaaaaaaaaaaaaa", owner: "acme", repo: "a/b" },
    ]) {
      const res = await api(`/v1/projects/${t.projectId}/integrations/github`, {
        method: "PUT",
        token: t.apiKey,
        json,
      });
      expect(res.status).toBe(400);
      await problem(res);
    }
  });
});

describe("scale", () => {
  it("ingests a 10k-test JUnit report, then a second run of it, through the Worker", async () => {
    const t = await newTenant();
    const cases: Record<string, "pass" | "fail" | "skip" | "flaky"> = {};
    for (let i = 0; i < 10_000; i++)
      cases[`case ${i}`] = i % 50 === 0 ? "fail" : i % 97 === 0 ? "flaky" : "pass";
    let started = Date.now();
    const first = await uploadRun(t, junit(cases, "expected 200 but got 500 for order 12345"), {
      commit: sha(200),
      branch: "main",
    });
    const firstMs = Date.now() - started;
    started = Date.now();
    expect(first).toMatchObject({ total: 10_000, failed: 200 });
    const second = await uploadRun(t, junit(cases, "expected 200 but got 500 for order 999"), {
      commit: sha(201),
      branch: "main",
    });
    expect(second).toMatchObject({ total: 10_000, failed: 200, newFailures: 0 });
    const secondMs = Date.now() - started;
    console.log(
      JSON.stringify({ level: "bench", msg: "10k-test JUnit upload through workerd", firstMs, secondMs }),
    );
    const count = await countOf("SELECT count(*) AS n FROM ci_tests WHERE project_id = ?", t.projectId);
    expect(count).toBe(10_000);
    // Per run: 200 failures and 101 retry-passes; numbers are masked, so both runs share the signatures
    // (failures carry a type and a frame, the flaky failures do not: two clusters).
    const clusters = await get<Page<{ count: number; testsAffected: number }>>(
      t,
      `/v1/projects/${t.projectId}/clusters`,
    );
    expect(clusters.items.map((c) => [c.count, c.testsAffected]).sort((a, b) => b[0]! - a[0]!)).toEqual([
      [400, 200],
      [202, 101],
    ]);
  }, 120_000);
});
