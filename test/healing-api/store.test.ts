import { describe, expect, it } from "vitest";
import { ApiError } from "../../shared/errors.ts";
import { healBucket, NO_ATTEMPTS } from "../../shared/healing/store/attempts.ts";
import { checkFeedback } from "../../shared/healing/store/feedback.ts";
import { retrainRunKey } from "../../shared/healing/store/retraining-jobs.ts";

describe("retrainRunKey", () => {
  it("keys a run by org and cause, so each cause retrains at most once per key", () => {
    expect(retrainRunKey("org_1", { kind: "weekly", week: "2026-03-02" })).toBe(
      "heal-retrain:org_1:weekly:2026-03-02",
    );
    expect(retrainRunKey("org_1", { kind: "manual", requestId: "req-9" })).toBe(
      "heal-retrain:org_1:manual:req-9",
    );
  });

  it("rounds feedback-triggered runs down to the hour", () => {
    const hour = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    const key = (at: number) => retrainRunKey("org_1", { kind: "feedback", at });
    expect(key(hour + 59 * 60_000)).toBe(`heal-retrain:org_1:feedback:${hour}`);
    expect(key(hour + 60 * 60_000)).toBe(`heal-retrain:org_1:feedback:${hour + 3_600_000}`);
  });
});

describe("healBucket", () => {
  it("computes the heal rate over attempts and the acceptance rate over reviewed ones", () => {
    const bucket = healBucket({
      key: "text",
      attempts: 8,
      healed: 6,
      reviewed: 4,
      accepted: 3,
      avgConfidence: 0.9,
    });
    expect(bucket).toEqual({
      key: "text",
      attempts: 8,
      healed: 6,
      healRate: 0.75,
      reviewed: 4,
      accepted: 3,
      acceptanceRate: 0.75,
      avgConfidence: 0.9,
    });
  });

  it("has no acceptance rate without reviews, no heal rate without attempts, and reads SQL sums as numbers", () => {
    const empty = healBucket(NO_ATTEMPTS);
    expect(empty.healRate).toBe(0);
    expect(empty.acceptanceRate).toBeNull();
    const fromSql = healBucket({
      key: null,
      attempts: 2,
      healed: "1" as unknown as number,
      reviewed: "0" as unknown as number,
      accepted: "0" as unknown as number,
      avgConfidence: "0.5" as unknown as number,
    });
    expect(fromSql).toMatchObject({ healed: 1, healRate: 0.5, acceptanceRate: null, avgConfidence: 0.5 });
  });
});

describe("checkFeedback", () => {
  const candidates = { form: "candidates" as const, candidateCount: 3 };
  const unprocessable = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      return error instanceof ApiError && error.code === "unprocessable" ? error.message : `other: ${error}`;
    }
    return "no error";
  };

  it("accepts a plain verdict and an in-range correction", () => {
    expect(unprocessable(() => checkFeedback(candidates, { accepted: true }))).toBe("no error");
    expect(unprocessable(() => checkFeedback(candidates, { accepted: false, correctIndex: 2 }))).toBe(
      "no error",
    );
    expect(
      unprocessable(() =>
        checkFeedback({ form: "dom", candidateCount: 0 }, { accepted: false, correctSelector: "#a" }),
      ),
    ).toBe("no error");
  });

  it("refuses an index for the DOM form, an index past the candidates, and a correction of an accepted heal", () => {
    expect(
      unprocessable(() =>
        checkFeedback({ form: "dom", candidateCount: 0 }, { accepted: false, correctIndex: 0 }),
      ),
    ).toMatch(/candidates form/);
    expect(unprocessable(() => checkFeedback(candidates, { accepted: false, correctIndex: 3 }))).toMatch(
      /below 3/,
    );
    expect(unprocessable(() => checkFeedback(candidates, { accepted: true, correctSelector: "#a" }))).toMatch(
      /needs no correction/,
    );
  });
});
