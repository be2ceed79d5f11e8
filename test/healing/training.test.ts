import { describe, expect, it } from "vitest";
import { evaluate, fitWeights, type HealingExample } from "../../shared/healing/training.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

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
