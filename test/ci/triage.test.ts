import { describe, expect, it } from "vitest";
import type { CiTest, CiTrends, Run, RunComparison } from "../../shared/contract/ci.ts";
import { type ReportSpec, playwrightReport as report } from "../fixtures/ci/playwright-report.ts";
import { api, newTenant, problem, type Tenant, uploadRun } from "../helpers.ts";

// Run triage (numbers, new failures, comparison with the reference run), test search and trends
// (docs/ci-api.md), through the Worker.

type Page<T> = { items: T[]; nextCursor: string | null };
type Spec = ReportSpec;
const upload = (t: Tenant, specs: Record<string, Spec>, query: Record<string, string> = {}) =>
  uploadRun(t, report(specs), query, "application/json");

async function get<T>(t: Tenant, path: string): Promise<T> {
  const res = await api(path, { token: t.apiKey });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const sha = (n: number) => n.toString(16).padStart(40, "b");
const names = (items: { name: string }[]) => items.map((i) => i.name);

describe("run triage", () => {
  it("numbers runs per project, records the reference run and marks exactly the new failures", async () => {
    const t = await newTenant();
    const main = await upload(
      t,
      { alpha: { outcome: "pass" }, beta: { outcome: "fail" }, gamma: { outcome: "pass" } },
      { branch: "main", commit: sha(1) },
    );
    const pr = await upload(
      t,
      {
        alpha: { outcome: "fail", ms: 5 },
        beta: { outcome: "fail", ms: 50 },
        gamma: { outcome: "pass", ms: 500 },
        delta: { outcome: "fail", ms: 20 },
        omega: { outcome: "skip", ms: 0 },
      },
      { branch: "feature/x", baseBranch: "main", commit: sha(2) },
    );
    expect([main.number, pr.number]).toEqual([1, 2]);
    expect(main.referenceRunId).toBeNull();
    expect(pr.referenceRunId).toBe(main.id);
    expect(pr.newFailures).toBe(2);
    expect(pr.gate.reasons.find((r) => r.rule === "noNewFailures")?.message).toMatch(/^2 new failure/);
    expect((await get<Run>(t, `/v1/runs/${pr.id}`)).number).toBe(2);

    const cmp = await get<RunComparison>(t, `/v1/runs/${pr.id}/compare`);
    expect(cmp.reference).toMatchObject({ id: main.id, number: 1, branch: "main", commit: sha(1) });
    expect(cmp.truncated).toBe(false);
    // Failures first (new ones first), then flaky, passed, skipped; by name within a group.
    expect(names(cmp.items)).toEqual(["alpha", "delta", "beta", "gamma", "omega"]);
    expect(cmp.items.filter((i) => i.newFailure).map((i) => i.name)).toEqual(["alpha", "delta"]);
    const base = Object.fromEntries(cmp.items.map((i) => [i.name, i.base?.status ?? null]));
    expect(base).toEqual({ alpha: "passed", beta: "failed", gamma: "passed", delta: null, omega: null });
    expect(cmp.items.every((i) => i.testQuarantined === false)).toBe(true);

    const byDuration = await get<RunComparison>(t, `/v1/runs/${pr.id}/compare?sort=duration`);
    expect(names(byDuration.items)).toEqual(["gamma", "beta", "delta", "alpha", "omega"]);
    const byName = await get<RunComparison>(t, `/v1/runs/${pr.id}/compare?sort=name`);
    expect(names(byName.items)).toEqual(["alpha", "beta", "delta", "gamma", "omega"]);

    // The results list carries the same flag.
    const failed = await get<Page<{ name: string; newFailure: boolean }>>(
      t,
      `/v1/runs/${pr.id}/results?status=failed`,
    );
    expect(
      failed.items
        .filter((r) => r.newFailure)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["alpha", "delta"]);

    // A quarantined test shows as such in the comparison (the gate then no longer counts it).
    const alpha = cmp.items.find((i) => i.name === "alpha")!;
    expect(
      (await api(`/v1/tests/${alpha.testId}/quarantine`, { method: "POST", token: t.apiKey })).status,
    ).toBe(200);
    const after = await get<RunComparison>(t, `/v1/runs/${pr.id}/compare`);
    expect(after.items.find((i) => i.name === "alpha")?.testQuarantined).toBe(true);

    const bad = await api(`/v1/runs/${pr.id}/compare?sort=fastest`, { token: t.apiKey });
    expect(bad.status).toBe(400);
    await problem(bad);
  });

  it("numbers each project's runs on its own", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await upload(t, { a: { outcome: "pass" } });
    await upload(other, { a: { outcome: "pass" } });
    const second = await upload(t, { a: { outcome: "pass" } });
    expect(second.number).toBe(2);
    expect(second.referenceRunId).not.toBeNull();
  });
});

describe("test search", () => {
  it("filters by name, file, tag (with or without @) and status, keeping filters across pages", async () => {
    const t = await newTenant();
    await upload(t, {
      "checkout pays by card": { outcome: "pass", file: "checkout.spec.ts", tags: ["@smoke"] },
      "checkout 100% off coupon": { outcome: "fail", file: "checkout.spec.ts", tagNotes: ["payments"] },
      "login works": { outcome: "pass", file: "auth.spec.ts", tags: ["@smoke", "@auth"] },
      "profile loads": { outcome: "pass", file: "profile.spec.ts" },
    });
    const list = async (query: string) =>
      names(
        (await get<Page<CiTest>>(t, `/v1/projects/${t.projectId}/tests?limit=100&${query}`)).items,
      ).sort();

    expect(await list("q=CHECKOUT")).toEqual(["checkout 100% off coupon", "checkout pays by card"]);
    // % and _ are literal, not wildcards.
    expect(await list("q=100%25")).toEqual(["checkout 100% off coupon"]);
    expect(await list("q=%25")).toEqual(["checkout 100% off coupon"]);
    expect(await list("q=lo_in")).toEqual([]);
    expect(await list("file=auth")).toEqual(["login works"]);
    expect(await list("tag=smoke")).toEqual(["checkout pays by card", "login works"]);
    expect(await list("tag=%40smoke")).toEqual(["checkout pays by card", "login works"]);
    expect(await list("tag=payments")).toEqual(["checkout 100% off coupon"]);
    expect(await list("tag=smoke&file=checkout")).toEqual(["checkout pays by card"]);
    expect(await list("tag=nope")).toEqual([]);

    const login = (await get<Page<CiTest>>(t, `/v1/projects/${t.projectId}/tests?q=login`)).items[0]!;
    expect(login.tags).toEqual(["@smoke", "@auth"]);

    // Paging keeps the filter.
    const first = await get<Page<CiTest>>(t, `/v1/projects/${t.projectId}/tests?tag=smoke&limit=1`);
    expect(first.items).toHaveLength(1);
    const second = await get<Page<CiTest>>(
      t,
      `/v1/projects/${t.projectId}/tests?tag=smoke&limit=1&cursor=${first.nextCursor}`,
    );
    expect(names([...first.items, ...second.items]).sort()).toEqual(["checkout pays by card", "login works"]);
    expect(second.nextCursor).toBeNull();

    for (const query of [`q=${"x".repeat(201)}`, "tag=", "status=green"]) {
      const res = await api(`/v1/projects/${t.projectId}/tests?${query}`, { token: t.apiKey });
      expect(res.status, query).toBe(400);
      await problem(res);
    }
  });
});

describe("trends", () => {
  it("gives daily pass rate, duration quantiles, flaky and heal figures, slowest tests, per branch", async () => {
    const t = await newTenant();
    await upload(t, { a: { outcome: "pass", ms: 300 }, b: { outcome: "fail", ms: 30 } }, { branch: "main" });
    await upload(t, { a: { outcome: "pass", ms: 100 }, b: { outcome: "pass", ms: 10 } }, { branch: "main" });
    await upload(t, { a: { outcome: "fail", ms: 900 }, b: { outcome: "fail", ms: 10 } }, { branch: "dev" });

    const all = await get<CiTrends>(t, `/v1/projects/${t.projectId}/trends?days=7`);
    expect(all.points).toHaveLength(7);
    expect(all.runsCounted).toBe(3);
    const today = all.points.at(-1)!;
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    expect(today.runs).toBe(3);
    expect(today.passRate).toBeCloseTo(3 / 6);
    // Run durations 330, 110 and 910 ms (nearest rank).
    expect(today.durationP50).toBe(330);
    expect(today.durationP95).toBe(910);
    expect(today.healRate).toBe(0);
    expect(all.points[0]!.runs).toBe(0);
    expect(all.points[0]!.passRate).toBeNull();
    expect(all.slowest.map((s) => [s.name, s.avgDurationMs, s.maxDurationMs, s.results])).toEqual([
      ["a", 433, 900, 3],
      ["b", 17, 30, 3],
    ]);

    const main = await get<CiTrends>(t, `/v1/projects/${t.projectId}/trends?branch=main`);
    expect(main.branch).toBe("main");
    expect(main.points).toHaveLength(30);
    expect(main.points.at(-1)).toMatchObject({ runs: 2, passRate: 3 / 4 });
    expect(main.slowest[0]).toMatchObject({ name: "a", avgDurationMs: 200 });

    for (const query of ["days=0", "days=91", "days=x", `branch=${"b".repeat(256)}`]) {
      const res = await api(`/v1/projects/${t.projectId}/trends?${query}`, { token: t.apiKey });
      expect(res.status, query).toBe(400);
      await problem(res);
    }
  });
});

describe("tenant isolation", () => {
  it("another organisation's run and project are 404 on compare, search and trends", async () => {
    const a = await newTenant("Alpha");
    const b = await newTenant("Beta");
    const run = await upload(a, { x: { outcome: "fail", tags: ["@smoke"] } });
    for (const path of [
      `/v1/runs/${run.id}/compare`,
      `/v1/projects/${a.projectId}/trends`,
      `/v1/projects/${a.projectId}/tests?tag=smoke`,
    ]) {
      const res = await api(path, { token: b.apiKey });
      expect(res.status, path).toBe(404);
      await problem(res);
    }
    // B's own search never sees A's tests.
    const own = await get<Page<CiTest>>(b, `/v1/projects/${b.projectId}/tests?tag=smoke`);
    expect(own.items).toEqual([]);
  });
});
