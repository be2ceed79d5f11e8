import { describe, expect, it } from "vitest";
import {
  appendOutcome,
  DEFAULT_FLAKY_POLICY,
  decodeHistory,
  EMPTY_HISTORY,
  flakyStats,
  lastEntryIsFlake,
  nextQuarantine,
  type TestHistory,
  wilsonInterval,
} from "../../shared/ci/flaky.ts";
import type { TestOutcome } from "../../shared/ci/report.ts";

const T0 = Date.UTC(2026, 10, 1);
const HOUR = 3600_000;

function play(outcomes: [TestOutcome, string | null][], start = T0): TestHistory {
  let h = EMPTY_HISTORY;
  outcomes.forEach(([o, commit], i) => {
    h = appendOutcome(h, o, start + i * HOUR, commit);
  });
  return h;
}

/** `play(outcomes)` and its flaky stats an hour after the last result. */
function judge(outcomes: [TestOutcome, string | null][]) {
  const history = play(outcomes);
  return { history, stats: flakyStats(history.recent, T0 + outcomes.length * HOUR) };
}

describe("Wilson score interval", () => {
  it("matches reference values (z = 1.96)", () => {
    // 5 failures in 50: p = 0.1 → [0.0435, 0.2136] (standard tables).
    const a = wilsonInterval(5, 50);
    expect(a.low).toBeCloseTo(0.0435, 3);
    expect(a.high).toBeCloseTo(0.2136, 3);
    // 0 of 10: lower bound 0, upper ≈ 0.2775.
    const b = wilsonInterval(0, 10);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.2775, 3);
    // All failed: upper bound 1.
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("narrows as the sample grows", () => {
    const small = wilsonInterval(2, 10);
    const large = wilsonInterval(20, 100);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });
});

describe("flaky detection", () => {
  it("a pass on retry is flaky", () => {
    const { stats } = judge([
      ["passed", "a1"],
      ["flaky", "a2"],
      ["passed", "a3"],
    ]);
    expect(stats.status).toBe("flaky");
  });

  it("a pass and a fail on the same commit is flaky; on different commits it is not", () => {
    const same = judge([
      ["failed", "abc"],
      ["passed", "abc"],
    ]);
    expect(decodeHistory(same.history.recent).map((e) => e.letter)).toEqual(["f", "P"]);
    expect(same.stats.status).toBe("flaky");
    const fixed = judge([
      ["failed", "abc"],
      ["passed", "def"],
    ]);
    expect(fixed.stats.status).toBe("healthy");
  });

  it("consistent failures are broken, not flaky", () => {
    const { history, stats } = judge([
      ["passed", "a"],
      ["failed", "b"],
      ["failed", "c"],
      ["failed", "d"],
    ]);
    expect(stats.status).toBe("broken");
    expect(stats.failureRate).toBeCloseTo(0.75);
    expect(history.consecutiveFailures).toBe(3);
  });

  it("flip-flopping across commits becomes flaky only with enough samples", () => {
    const outcomes: [TestOutcome, string][] = [
      "passed",
      "failed",
      "passed",
      "failed",
      "passed",
      "passed",
      "failed",
      "passed",
    ].map((o, i) => [o as TestOutcome, `c${i}`]);
    expect(judge(outcomes.slice(0, 5)).stats.status).toBe("healthy");
    const { stats: s } = judge(outcomes);
    expect(s.sampleSize).toBe(8);
    expect(s.status).toBe("flaky");
    expect(s.lastFlipAt).toBe(T0 + 7 * HOUR);
  });

  it("keeps a bounded window of results and ignores results older than 14 days", () => {
    let h = EMPTY_HISTORY;
    for (let i = 0; i < 80; i++) h = appendOutcome(h, i === 0 ? "flaky" : "passed", T0 + i * HOUR, `c${i}`);
    expect(decodeHistory(h.recent)).toHaveLength(DEFAULT_FLAKY_POLICY.windowSize);
    // The retry pass was entry 0: pushed out of the 50-result window.
    expect(flakyStats(h.recent, T0 + 80 * HOUR).status).toBe("healthy");

    const old = play([["flaky", "x"]]);
    expect(flakyStats(old.recent, T0 + HOUR).status).toBe("flaky");
    const s = flakyStats(old.recent, T0 + 15 * 24 * HOUR);
    expect(s).toMatchObject({ status: "healthy", sampleSize: 0, failureRate: 0 });
  });

  it("skipped results are not recorded; consecutive passes reset on fail or flake", () => {
    let h = play([
      ["passed", "a"],
      ["passed", "b"],
    ]);
    h = appendOutcome(h, "skipped", T0 + 5 * HOUR, "c");
    expect(decodeHistory(h.recent)).toHaveLength(2);
    expect(h.consecutivePasses).toBe(2);
    h = appendOutcome(h, "flaky", T0 + 6 * HOUR, "d");
    expect(h.consecutivePasses).toBe(0);
    expect(lastEntryIsFlake(h.recent)).toBe(true);
  });
});

describe("quarantine", () => {
  const settings = { autoQuarantine: true, releaseAfterPasses: 3 };

  it("auto-quarantines a test that just turned flaky when the project enables it", () => {
    expect(nextQuarantine({ quarantined: false, reason: null }, "flaky", 0, settings, true)).toEqual({
      state: { quarantined: true, reason: "auto" },
      change: "quarantined",
    });
    expect(
      nextQuarantine({ quarantined: false, reason: null }, "flaky", 0, { ...settings, autoQuarantine: false })
        .change,
    ).toBeNull();
    // Old evidence still in the window does not re-quarantine a released test.
    expect(
      nextQuarantine({ quarantined: false, reason: null }, "flaky", 4, settings, false).change,
    ).toBeNull();
  });

  it("releases after K consecutive passes, manual or automatic", () => {
    for (const reason of ["manual", "auto"] as const) {
      const q = { quarantined: true, reason };
      expect(nextQuarantine(q, "flaky", 2, settings).change).toBeNull();
      expect(nextQuarantine(q, "flaky", 3, settings)).toEqual({
        state: { quarantined: false, reason: null },
        change: "released",
      });
    }
    expect(
      nextQuarantine({ quarantined: true, reason: "manual" }, "healthy", 99, {
        ...settings,
        releaseAfterPasses: null,
      }).change,
    ).toBeNull();
  });
});
