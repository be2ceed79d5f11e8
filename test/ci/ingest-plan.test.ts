import { describe, expect, it } from "vitest";
import { appendOutcome, DEFAULT_FLAKY_POLICY, EMPTY_HISTORY } from "../../shared/ci/flaky.ts";
import {
  CLUSTER_KEYS,
  type ExistingTest,
  failuresToCluster,
  type IngestState,
  type PlanInput,
  planIngest,
  RESULT_KEYS,
  TEST_IDENTITY_KEYS,
  TEST_STATE_KEYS,
} from "../../shared/ci/ingest-plan.ts";
import { chunkRows, encodeRows } from "../../shared/ci/json-rows.ts";
import { type ParsedTest, testKey } from "../../shared/ci/report.ts";
import { DEFAULT_CI_SETTINGS } from "../../shared/ci/settings.ts";

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const failure = (message: string) => ({ message, stack: null, type: "AssertionError" });

function test(name: string, status: ParsedTest["status"], extra: Partial<ParsedTest> = {}): ParsedTest {
  return {
    file: "a.spec.ts",
    suite: "suite",
    name,
    status,
    durationMs: 12.4,
    retries: 0,
    healed: false,
    failure: null,
    ...extra,
  };
}

function input(tests: ParsedTest[], overrides: Partial<PlanInput> = {}): PlanInput {
  let n = 0;
  const report = { format: "junit" as const, tests, durationMs: 100 };
  // Signatures stand in for the hashed normal form: the message itself is enough here.
  const signatures = new Map(failuresToCluster(report).map((f) => [f.index, `sig:${f.failure.message}`]));
  return {
    orgId: "org_1",
    projectId: "prj_1",
    report,
    reportHash: "hash",
    meta: {
      commit: "abc1234",
      branch: "main",
      baseBranch: null,
      pr: null,
      provider: null,
      runUrl: null,
      buildId: null,
    },
    githubPending: false,
    signatures,
    now: NOW,
    policy: DEFAULT_FLAKY_POLICY,
    newId: (prefix) => `${prefix}_${++n}`,
    ...overrides,
  };
}

function state(overrides: Partial<IngestState> = {}): IngestState {
  return {
    settings: { ...DEFAULT_CI_SETTINGS },
    tests: new Map(),
    clusters: new Map(),
    reference: { runId: null, label: null, failingTestIds: new Set() },
    nextNumber: 1,
    ...overrides,
  };
}

function existing(t: ParsedTest, id: string, extra: Partial<ExistingTest> = {}): [string, ExistingTest] {
  return [
    testKey(t),
    {
      id,
      name: t.name,
      status: "healthy",
      quarantined: false,
      quarantineReason: null,
      quarantinedAt: null,
      history: EMPTY_HISTORY,
      ...extra,
    },
  ];
}

describe("planIngest", () => {
  it("creates new tests, results and one cluster per new signature", () => {
    const tests = [
      test("passes", "passed"),
      test("fails", "failed", { failure: failure("boom") }),
      test("flakes", "flaky", { retries: 1, failure: failure("boom") }),
      test("skips", "skipped"),
    ];
    const plan = planIngest(input(tests), state());

    expect(plan.updatedTests).toEqual([]);
    expect(plan.newTests.map((t) => t.name)).toEqual(["passes", "fails", "flakes", "skips"]);
    expect(plan.newTests[1]).toMatchObject({
      key: testKey(tests[1]!),
      firstSeenAt: NOW,
      lastOutcome: "failed",
    });
    expect(plan.newTests.every((t) => t.lastRunId === plan.run.id)).toBe(true);

    expect(plan.newClusters).toEqual([
      {
        id: "cls_2",
        signature: "sig:boom",
        errorType: "AssertionError",
        sampleMessage: "boom",
        sampleStack: null,
        count: 2,
      },
    ]);
    expect(plan.clusterBumps).toEqual([]);
    expect(plan.results.map((r) => [r.status, r.clusterId, r.durationMs])).toEqual([
      ["passed", null, 12],
      ["failed", "cls_2", 12],
      ["flaky", "cls_2", 12],
      ["skipped", null, 12],
    ]);
    expect(plan.results[1]!.testId).toBe(plan.newTests[1]!.id);

    expect(plan.run).toMatchObject({
      id: "run_1",
      status: "failed",
      total: 4,
      passed: 1,
      failed: 1,
      flaky: 1,
      skipped: 1,
      newFailures: 1,
      commitSha: "abc1234",
      github: null,
      gateStatus: "fail",
    });
    expect(plan.run.gateReasons.find((r) => r.rule === "noNewFailures")?.status).toBe("fail");
  });

  it("updates known tests, bumps known clusters and measures new failures against the reference", () => {
    const tests = [
      test("old failure", "failed", { failure: failure("known") }),
      test("new failure", "failed", { failure: failure("known") }),
    ];
    const plan = planIngest(
      input(tests),
      state({
        tests: new Map([existing(tests[0]!, "tst_old"), existing(tests[1]!, "tst_new")]),
        clusters: new Map([["sig:known", "cls_known"]]),
        reference: { runId: "run_ref", label: "main@0000000", failingTestIds: new Set(["tst_old"]) },
      }),
    );
    expect(plan.newTests).toEqual([]);
    expect(plan.updatedTests.map((t) => t.id)).toEqual(["tst_old", "tst_new"]);
    expect(plan.updatedTests[0]).toMatchObject({
      consecutiveFailures: 1,
      lastOutcome: "failed",
      statsAt: NOW,
    });
    expect(plan.newClusters).toEqual([]);
    expect(plan.clusterBumps).toEqual([{ id: "cls_known", count: 2 }]);
    expect(plan.results.map((r) => r.clusterId)).toEqual(["cls_known", "cls_known"]);
    expect(plan.run.newFailures).toBe(1);
    expect(plan.run.gateReasons.find((r) => r.rule === "noNewFailures")?.message).toContain("main@0000000");
  });

  it("keeps a quarantined test's failure out of the gate and marks its result", () => {
    const tests = [test("ok", "passed"), test("quarantined", "failed", { failure: failure("x") })];
    const plan = planIngest(
      input(tests),
      state({
        tests: new Map([
          existing(tests[1]!, "tst_q", { quarantined: true, quarantineReason: "manual", quarantinedAt: 1 }),
        ]),
      }),
    );
    expect(plan.results.map((r) => r.quarantined)).toEqual([false, true]);
    expect(plan.updatedTests[0]).toMatchObject({
      quarantined: true,
      quarantineReason: "manual",
      quarantinedAt: 1,
    });
    // The run still counts the failure; the gate does not.
    expect(plan.run.failed).toBe(1);
    expect(plan.run.gateStatus).toBe("pass");
  });

  it("auto-quarantines a test that just flaked and releases one after enough passes", () => {
    const flaky = test("flaky", "flaky", { retries: 1 });
    const steady = test("steady", "passed");
    let passes = EMPTY_HISTORY;
    for (let i = 0; i < 4; i++) passes = appendOutcome(passes, "passed", NOW - (5 - i) * 60_000, null);
    const plan = planIngest(
      input([flaky, steady]),
      state({
        settings: { ...DEFAULT_CI_SETTINGS, autoQuarantine: true, releaseAfterPasses: 5 },
        tests: new Map([
          existing(steady, "tst_steady", {
            quarantined: true,
            quarantineReason: "auto",
            quarantinedAt: 1,
            history: passes,
          }),
        ]),
      }),
    );
    const flakyId = plan.newTests[0]!.id;
    expect(plan.quarantined).toEqual([flakyId]);
    expect(plan.newlyFlaky).toEqual([
      {
        id: flakyId,
        name: "flaky",
        file: flaky.file,
        suite: flaky.suite,
        failureRate: expect.any(Number),
        quarantined: true,
      },
    ]);
    expect(plan.newTests[0]).toMatchObject({
      status: "flaky",
      quarantined: true,
      quarantineReason: "auto",
      quarantinedAt: NOW,
      consecutivePasses: 0,
    });
    expect(plan.released).toEqual(["tst_steady"]);
    expect(plan.updatedTests[0]).toMatchObject({
      quarantined: false,
      quarantineReason: null,
      quarantinedAt: null,
    });
    expect(plan.updatedTests[0]!.consecutivePasses).toBe(5);
  });

  it("marks the run pending for GitHub when a report will follow", () => {
    const plan = planIngest(input([test("a", "passed")], { githubPending: true }), state());
    expect(plan.run.github).toEqual({ state: "pending" });
    expect(plan.run.gateStatus).toBe("pass");
  });

  it("plans rows with exactly the columns the writer writes", () => {
    const tests = [test("a", "failed", { failure: failure("m") }), test("b", "passed")];
    const plan = planIngest(input(tests), state({ tests: new Map([existing(tests[1]!, "tst_b")]) }));
    const sorted = (keys: readonly string[]) => [...keys].sort();
    expect(sorted(Object.keys(plan.newTests[0]!))).toEqual(
      sorted([...TEST_IDENTITY_KEYS, ...TEST_STATE_KEYS]),
    );
    expect(sorted(Object.keys(plan.updatedTests[0]!))).toEqual(sorted(["id", ...TEST_STATE_KEYS]));
    expect(sorted(Object.keys(plan.results[0]!))).toEqual(sorted(RESULT_KEYS));
    expect(sorted(Object.keys(plan.newClusters[0]!))).toEqual(sorted(CLUSTER_KEYS));
  });
});

describe("json rows", () => {
  it("encodes typed rows as arrays in key order, booleans as 0/1 and missing values as null", () => {
    const rows = [{ id: "a", healed: true, message: undefined, n: 3 }];
    expect(encodeRows(rows, ["n", "id", "healed", "message"])).toEqual(['[[3,"a",1,null]]']);
  });

  it("splits chunks below the byte limit without losing or reordering rows", () => {
    const rows = Array.from({ length: 50 }, (_, i) => [i, "x".repeat(20)]);
    const chunks = chunkRows(rows, 200);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.length <= 200)).toBe(true);
    expect(chunks.flatMap((c) => JSON.parse(c) as unknown[])).toEqual(rows);
  });
});
