import { describe, expect, it } from "vitest";
import { evaluate, fitWeights, type HealingExample, outcomeOf } from "../../shared/healing/training.ts";
import type { ElementDescriptor, HealingModel } from "../../shared/healing/types.ts";

function example(i: number, removed: boolean): HealingExample {
  const label = ["Save", "Cancel", "Export", "Delete", "Next"][i % 5]!;
  const target: ElementDescriptor = {
    tag: "button",
    attributes: { id: `btn-${i}` },
    text: label,
    xpath: `/html[1]/body[1]/div[${(i % 3) + 1}]/button[1]`,
  };
  const candidates: ElementDescriptor[] = [
    { tag: "a", attributes: { href: "/" }, text: "Home", xpath: "/html[1]/body[1]/nav[1]/a[1]" },
    { tag: "button", text: `Other ${i}`, xpath: "/html[1]/body[1]/footer[1]/button[1]" },
  ];
  if (removed) return { target, candidates, correctIndex: null };
  candidates.push({
    tag: "button",
    attributes: { id: `btn-${i}` },
    text: `${label} now`,
    xpath: `/html[1]/body[1]/div[${(i % 3) + 1}]/div[1]/button[1]`,
  });
  return { target, candidates, correctIndex: 2 };
}

describe("fitWeights / evaluate", () => {
  const examples = Array.from({ length: 40 }, (_, i) => example(i, i % 5 === 0));
  const model = fitWeights(examples, { epochs: 150, version: "test" });

  it("learns a model that ranks and abstains on its data", () => {
    const metrics = evaluate(model, examples);
    expect(model.version).toBe("test");
    expect(metrics.top1).toBe(1);
    expect(metrics.abstainAccuracy).toBeGreaterThan(0.8);
    expect(metrics.wrongHealRate).toBeLessThanOrEqual(0.05);
    expect(metrics.ece).toBeGreaterThanOrEqual(0);
    for (const [name, weight] of Object.entries(model.weights))
      if (!name.endsWith("?")) expect(weight).toBeGreaterThanOrEqual(0);
  });

  it("reports a worse model as worse", () => {
    const broken = { ...model, weights: Object.fromEntries(Object.keys(model.weights).map((k) => [k, 0])) };
    expect(evaluate(broken, examples).top1).toBeLessThan(1);
  });
});

describe("fitWeights with cross-fitted calibration", () => {
  // Fold 0 heals by id (text rewritten); fold 1 by text, beside a decoy that kept the id. Each fold
  // alone teaches the opposite of the other, so out-of-fold evidence is far weaker than in-sample.
  const healed = (i: number): HealingExample => {
    const byId = i % 2 === 0;
    const xpath = "/html[1]/body[1]/form[1]/button[1]";
    const target: ElementDescriptor = {
      tag: "button",
      attributes: { id: `go-${i}` },
      text: `Pay ${i}`,
      xpath,
    };
    const right: ElementDescriptor = byId
      ? { tag: "button", attributes: { id: `go-${i}` }, text: `Checkout ${i}`, xpath }
      : { tag: "button", attributes: { id: `next-${i}` }, text: `Pay ${i}`, xpath };
    const decoy: ElementDescriptor = byId
      ? { tag: "button", attributes: { id: `back-${i}` }, text: `Cancel ${i}`, xpath }
      : { tag: "button", attributes: { id: `go-${i}` }, text: `Cancel ${i}`, xpath };
    return { target, candidates: [decoy, right], correctIndex: 1 };
  };
  const examples = Array.from({ length: 40 }, (_, i) => healed(i));
  const folds = examples.map((_, i) => i % 2);
  const inSample = fitWeights(examples, { epochs: 100, prior: null });
  const crossFitted = fitWeights(examples, { epochs: 100, prior: null, calibrationFolds: folds });
  const meanConfidence = (model: HealingModel) =>
    examples.reduce((sum, e) => sum + outcomeOf(model, e).confidence, 0) / examples.length;

  it("keeps the weights fitted on everything and calibrates on out-of-fold evidence", () => {
    expect(crossFitted.weights).toEqual(inSample.weights);
    expect(crossFitted.bias).toBe(inSample.bias);
    expect(crossFitted.calibration).not.toEqual(inSample.calibration);
    expect(meanConfidence(crossFitted)).toBeLessThan(meanConfidence(inSample) - 0.05);
  });
});
