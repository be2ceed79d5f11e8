import { describe, expect, it } from "vitest";
import { applyIsotonic, fitIsotonic, MIN_BLOCK_EXAMPLES } from "../../shared/healing/fit-isotonic.ts";
import { calibratedConfidence } from "../../shared/healing/model.ts";
import { fitWeights, type HealingExample } from "../../shared/healing/training.ts";
import type { ElementDescriptor, HealingModel } from "../../shared/healing/types.ts";

const points = (confidence: number, right: number, wrong: number) => [
  ...Array.from({ length: right }, () => ({ confidence, right: true })),
  ...Array.from({ length: wrong }, () => ({ confidence, right: false })),
];

describe("isotonic recalibration", () => {
  it("maps confidences to how often they were right, pooling bands that break the order", () => {
    // 0.3 is right 9/10 times, 0.6 only 5/10 (a violation), 0.9 always.
    const map = fitIsotonic([...points(0.3, 9, 1), ...points(0.6, 5, 5), ...points(0.9, 20, 0)], 5)!;
    expect(map.x).toEqual([0.45, 0.9]);
    expect(map.y).toEqual([0.6818, 0.9545]); // (14+1)/(20+2), (20+1)/(20+2)
    for (let i = 1; i < map.y.length; i++) expect(map.y[i]!).toBeGreaterThanOrEqual(map.y[i - 1]!);
    expect(applyIsotonic(map, 0.1)).toBe(0.6818);
    expect(applyIsotonic(map, 0.99)).toBe(0.9545);
    expect(applyIsotonic(map, 0.675)).toBeCloseTo((0.6818 + 0.9545) / 2, 4);
  });

  it("pools thin bands and never claims certainty from a few examples", () => {
    const map = fitIsotonic([...points(0.2, 0, 2), ...points(0.5, 1, 1), ...points(0.95, 3, 0)], 5)!;
    expect(map.y.every((y) => y > 0 && y < 1)).toBe(true);
    expect(fitIsotonic([])).toBeUndefined();
  });

  it("by default gives a knot only to a band seen often enough to know its rate", () => {
    // 40 examples per band: with the default minimum the ordered bands pool into one knot; with
    // that many examples per band they keep a knot each.
    const bands = [...points(0.3, 16, 24), ...points(0.6, 28, 12), ...points(0.9, 38, 2)];
    expect(MIN_BLOCK_EXAMPLES).toBeGreaterThan(40);
    expect(fitIsotonic(bands)!.x.length).toBeLessThan(3);
    expect(fitIsotonic(bands, 40)!.x).toEqual([0.3, 0.6, 0.9]);
  });

  it("counts a band's examples, not their weight: a few heavy examples do not make a knot", () => {
    // 30 examples per band, each weighing 4: 120 of weight per band, but only 30 examples.
    const heavy = [...points(0.3, 12, 18), ...points(0.6, 21, 9), ...points(0.9, 29, 1)].map((p) => ({
      ...p,
      weight: 4,
    }));
    expect(30 * 4).toBeGreaterThan(MIN_BLOCK_EXAMPLES);
    expect(fitIsotonic(heavy)!.x.length).toBeLessThan(3);
    // The same bands with 30 examples each keep a knot each once 30 examples are enough.
    expect(fitIsotonic(heavy, 30)!.x).toEqual([0.3, 0.6, 0.9]);
  });

  it("is applied last by calibratedConfidence, after Platt", () => {
    const model: HealingModel = {
      weights: {},
      bias: 0,
      calibration: { top: 0.5, margin: 0.5, intercept: 0, group: 0.5 },
      threshold: 0.5,
      version: "t",
    };
    const platt = calibratedConfidence(model, 1, -1, { outsideGroupLogit: -1 });
    const remapped = {
      ...model,
      calibration: { ...model.calibration, isotonic: { x: [0, 1], y: [0.2, 0.4] } },
    };
    expect(calibratedConfidence(remapped, 1, -1, { outsideGroupLogit: -1 })).toBeCloseTo(
      0.2 + 0.2 * platt,
      6,
    );
  });
});

describe("fitWeights with an isotonic map", () => {
  const example = (i: number): HealingExample => {
    const target: ElementDescriptor = { tag: "button", attributes: { id: `go-${i}` }, text: `Pay ${i}` };
    const candidates: ElementDescriptor[] = [
      { tag: "button", attributes: { id: `back-${i}` }, text: `Cancel ${i}` },
      { tag: "button", attributes: { id: i % 4 === 0 ? `x-${i}` : `go-${i}` }, text: `Pay now ${i}` },
    ];
    return { target, candidates, correctIndex: 1 };
  };
  const examples = Array.from({ length: 40 }, (_, i) => example(i));
  const calibrationFolds = examples.map((_, i) => i % 2);

  it("fits one on out-of-fold evidence only, and keeps it non-decreasing", () => {
    const model = fitWeights(examples, { epochs: 60, prior: null, calibrationFolds, isotonic: true });
    const map = model.calibration.isotonic!;
    expect(map.x.length).toBeGreaterThan(0);
    for (let i = 1; i < map.y.length; i++) expect(map.y[i]!).toBeGreaterThanOrEqual(map.y[i - 1]!);
    expect(
      fitWeights(examples, { epochs: 60, prior: null, isotonic: true }).calibration.isotonic,
    ).toBeUndefined();
  });

  it("weighs examples by calibrationWeights in calibration only", () => {
    const options = { epochs: 60, prior: null, calibrationFolds, isotonic: true };
    const plain = fitWeights(examples, options);
    // The cases whose id changed (harder) weigh ten times as much in calibration.
    const calibrationWeights = examples.map((_, i) => (i % 4 === 0 ? 10 : 1));
    const weighted = fitWeights(examples, { ...options, calibrationWeights });
    expect(weighted.weights).toEqual(plain.weights);
    expect(weighted.calibration).not.toEqual(plain.calibration);
  });
});
