import { describe, expect, it } from "vitest";
import { DEFAULT_GATE_RULES, evaluateGate, type GateInput } from "../../shared/ci/gate.ts";

const clean: GateInput = {
  passed: 98,
  flaky: 2,
  failed: 0,
  healed: 0,
  newFailures: 0,
  reference: "main@abc1234",
  brokenTests: [],
  quarantinedFailures: 0,
};

describe("quality gate", () => {
  it("passes a clean run with a reason per enabled rule", () => {
    const g = evaluateGate(DEFAULT_GATE_RULES, clean);
    expect(g.status).toBe("pass");
    expect(g.reasons.map((r) => r.rule)).toEqual([
      "minPassRate",
      "noNewFailures",
      "noBrokenTests",
      "maxHealsBeforeWarning",
    ]);
    expect(g.reasons[0]!.message).toBe("pass rate 100.0% ≥ required 100.0%");
  });

  it("fails on pass rate below the minimum", () => {
    const g = evaluateGate(
      { ...DEFAULT_GATE_RULES, minPassRate: 0.95, noNewFailures: false },
      { ...clean, passed: 90, failed: 8 },
    );
    expect(g.status).toBe("fail");
    expect(g.reasons[0]).toEqual({
      rule: "minPassRate",
      status: "fail",
      message: "pass rate 92.0% < required 95.0%",
    });
  });

  it("fails on new failures against the reference run, and says so", () => {
    const g = evaluateGate(
      { ...DEFAULT_GATE_RULES, minPassRate: null },
      { ...clean, failed: 2, newFailures: 1 },
    );
    expect(g.status).toBe("fail");
    expect(g.reasons.find((r) => r.rule === "noNewFailures")?.message).toBe(
      "1 new failure(s) against main@abc1234",
    );
  });

  it("fails on broken tests and names them", () => {
    const g = evaluateGate(DEFAULT_GATE_RULES, { ...clean, brokenTests: ["a", "b", "c", "d"] });
    expect(g.reasons.find((r) => r.rule === "noBrokenTests")?.message).toBe(
      '4 broken test(s): "a", "b", "c", …',
    );
  });

  it("warns (does not fail) when heals exceed the threshold", () => {
    const g = evaluateGate({ ...DEFAULT_GATE_RULES, maxHealsBeforeWarning: 3 }, { ...clean, healed: 4 });
    expect(g.status).toBe("warn");
  });

  it("quarantined failures are excluded (the caller counts them separately)", () => {
    const g = evaluateGate(DEFAULT_GATE_RULES, { ...clean, quarantinedFailures: 3 });
    expect(g.status).toBe("pass");
    expect(g.reasons[0]!.message).toContain("3 quarantined failure(s) ignored");
  });

  it("with every rule off there are no reasons and the gate passes", () => {
    const g = evaluateGate(
      { minPassRate: null, noNewFailures: false, noBrokenTests: false, maxHealsBeforeWarning: null },
      { ...clean, failed: 50 },
    );
    expect(g).toEqual({ status: "pass", reasons: [] });
  });
});
