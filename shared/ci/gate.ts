import type { GateReason, GateStatus } from "../contract/ci.ts";

/**
 * The quality gate: rules a project sets, evaluated for every run. Quarantined tests never fail it.
 */
export type GateRules = {
  /** Required share of passing (incl. flaky-but-passed) among non-skipped, non-quarantined tests; null = off. */
  minPassRate: number | null;
  /** Fail when a test fails that did not fail in the reference run (the base branch's latest run). */
  noNewFailures: boolean;
  /** Fail when a non-quarantined test of this run is broken (failing consistently). */
  noBrokenTests: boolean;
  /** Warn when more selectors were healed than this; null = off. */
  maxHealsBeforeWarning: number | null;
};

export const DEFAULT_GATE_RULES: GateRules = {
  minPassRate: 1,
  noNewFailures: true,
  noBrokenTests: true,
  maxHealsBeforeWarning: 10,
};

export type { GateReason, GateStatus };
/** What the gate decided for a run (the API's GateEvaluation adds when it was evaluated). */
export type GateVerdict = { status: GateStatus; reasons: GateReason[] };

export type GateInput = {
  /** Counts over non-quarantined tests of the run. */
  passed: number;
  flaky: number;
  failed: number;
  healed: number;
  /** Non-quarantined failures that are new against the reference run. */
  newFailures: number;
  /** Where "new" was measured against, for the message: e.g. `main@abc1234`; null = no reference run. */
  reference: string | null;
  /** Names of non-quarantined broken tests in this run (the first few are quoted). */
  brokenTests: string[];
  quarantinedFailures: number;
};

const pct = (x: number) => `${(Math.floor(x * 1000) / 10).toFixed(1)}%`;

export function evaluateGate(rules: GateRules, input: GateInput): GateVerdict {
  const reasons: GateReason[] = [];
  const counted = input.passed + input.flaky + input.failed;
  const quarantineNote =
    input.quarantinedFailures > 0 ? ` (${input.quarantinedFailures} quarantined failure(s) ignored)` : "";
  if (rules.minPassRate !== null) {
    const rate = counted === 0 ? 1 : (input.passed + input.flaky) / counted;
    const ok = rate + 1e-12 >= rules.minPassRate;
    reasons.push({
      rule: "minPassRate",
      status: ok ? "pass" : "fail",
      message: `pass rate ${pct(rate)} ${ok ? "≥" : "<"} required ${pct(rules.minPassRate)}${quarantineNote}`,
    });
  }
  if (rules.noNewFailures) {
    const against = input.reference
      ? `against ${input.reference}`
      : "(no reference run: every failure is new)";
    reasons.push(
      input.newFailures === 0
        ? { rule: "noNewFailures", status: "pass", message: `no new failures ${against}` }
        : {
            rule: "noNewFailures",
            status: "fail",
            message: `${input.newFailures} new failure(s) ${against}`,
          },
    );
  }
  if (rules.noBrokenTests) {
    const n = input.brokenTests.length;
    const names = input.brokenTests
      .slice(0, 3)
      .map((t) => `"${t}"`)
      .join(", ");
    reasons.push(
      n === 0
        ? { rule: "noBrokenTests", status: "pass", message: "no broken tests" }
        : {
            rule: "noBrokenTests",
            status: "fail",
            message: `${n} broken test(s): ${names}${n > 3 ? ", …" : ""}`,
          },
    );
  }
  if (rules.maxHealsBeforeWarning !== null) {
    const over = input.healed > rules.maxHealsBeforeWarning;
    reasons.push({
      rule: "maxHealsBeforeWarning",
      status: over ? "warn" : "pass",
      message: `${input.healed} healed selector(s)${over ? `, more than ${rules.maxHealsBeforeWarning}: update the tests` : ""}`,
    });
  }
  const status: GateStatus = reasons.some((r) => r.status === "fail")
    ? "fail"
    : reasons.some((r) => r.status === "warn")
      ? "warn"
      : "pass";
  return { status, reasons };
}
