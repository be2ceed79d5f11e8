import { describe, expect, it } from "vitest";
import {
  type Arm,
  applyOutcome,
  chooseVariant,
  posterior,
  probabilityBest,
  sampleBeta,
  seededRng,
} from "../../shared/pipeline/bandit.ts";

describe("Thompson sampling", () => {
  it("is reproducible with a seed and differs across seeds", () => {
    const draw = (seed: number) => {
      const rng = seededRng(seed);
      return Array.from({ length: 5 }, () => rng());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(3).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("samples Beta with the right mean", () => {
    const rng = seededRng(11);
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += sampleBeta(3, 7, rng);
    expect(sum / 4000).toBeCloseTo(0.3, 1);
    const small = sampleBeta(0.5, 0.5, rng);
    expect(small).toBeGreaterThanOrEqual(0);
    expect(small).toBeLessThanOrEqual(1);
  });

  it("posterior is Beta(1 + conversions, 1 + failures)", () => {
    expect(posterior({ key: "a", sends: 10, conversions: 3 })).toEqual({ alpha: 4, beta: 8 });
    expect(posterior({ key: "a", sends: 0, conversions: 0 })).toEqual({ alpha: 1, beta: 1 });
  });

  it("prefers the clearly better arm but still explores", () => {
    const arms: Arm[] = [
      { key: "a", sends: 500, conversions: 15 },
      { key: "b", sends: 500, conversions: 40 },
    ];
    const rng = seededRng(5);
    const picks = Array.from({ length: 1000 }, () => chooseVariant(arms, rng));
    const b = picks.filter((k) => k === "b").length;
    expect(b).toBeGreaterThan(980);
    const even = Array.from({ length: 1000 }, () =>
      chooseVariant(
        [
          { key: "a", sends: 0, conversions: 0 },
          { key: "b", sends: 0, conversions: 0 },
        ],
        rng,
      ),
    );
    const share = even.filter((k) => k === "a").length / 1000;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
  });

  it("probabilityBest sums to one and is stable for the same counts", () => {
    const arms: Arm[] = [
      { key: "a", sends: 100, conversions: 3 },
      { key: "b", sends: 100, conversions: 8 },
      { key: "c", sends: 10, conversions: 0 },
    ];
    const p = probabilityBest(arms);
    expect(p).toEqual(probabilityBest(arms));
    expect((p.a ?? 0) + (p.b ?? 0) + (p.c ?? 0)).toBeCloseTo(1, 2);
    expect(p.b).toBeGreaterThan(p.a ?? 1);
  });

  it("applies a conversion to the posterior exactly once per outcome id", () => {
    const arms: Arm[] = [{ key: "a", sends: 0, conversions: 0 }];
    const applied = new Set<string>();
    expect(applyOutcome(arms, applied, { id: "s1", key: "a", kind: "send" })).toBe(true);
    expect(applyOutcome(arms, applied, { id: "c1", key: "a", kind: "conversion" })).toBe(true);
    expect(applyOutcome(arms, applied, { id: "c1", key: "a", kind: "conversion" })).toBe(false);
    expect(arms[0]).toEqual({ key: "a", sends: 1, conversions: 1 });
    expect(posterior(arms[0]!)).toEqual({ alpha: 2, beta: 1 });
    // More conversions than sends never make beta fall below 1.
    applyOutcome(arms, applied, { id: "c2", key: "a", kind: "conversion" });
    expect(arms[0]!.conversions).toBe(1);
    expect(applyOutcome(arms, applied, { id: "x", key: "nope", kind: "send" })).toBe(false);
  });
});
