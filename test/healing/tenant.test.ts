import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL } from "../../shared/healing/default-model.ts";
import {
  fitTenantModel,
  TENANT_THRESHOLD,
  type ThresholdFeedback,
  tenantThreshold,
  withTenantThreshold,
} from "../../shared/healing/tenant.ts";
import { fitWeights, type HealingExample } from "../../shared/healing/training.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

function feedback(count: number, confidence: number, accepted: boolean): ThresholdFeedback[] {
  return Array.from({ length: count }, () => ({ confidence, accepted }));
}

describe("tenantThreshold", () => {
  it("keeps the shared threshold with little feedback", () => {
    const result = tenantThreshold(feedback(TENANT_THRESHOLD.minFeedback - 1, 0.6, true));
    expect(result).toMatchObject({ basis: "shared", threshold: DEFAULT_MODEL.threshold });
    expect(withTenantThreshold(DEFAULT_MODEL, result)).toBe(DEFAULT_MODEL);
  });

  it("loosens for a tenant whose moderately confident answers were all right", () => {
    const result = tenantThreshold([...feedback(300, 0.6, true), ...feedback(200, 0.3, false)]);
    expect(result.basis).toBe("learned");
    expect(result.threshold).toBeLessThan(DEFAULT_MODEL.threshold);
    expect(result.threshold).toBeGreaterThanOrEqual(TENANT_THRESHOLD.floor);
    expect(result.wrongHealBound).toBeLessThanOrEqual(TENANT_THRESHOLD.maxWrongHealRate);
    expect(withTenantThreshold(DEFAULT_MODEL, result).threshold).toBe(result.threshold);
  });

  it("tightens for a tenant with confident wrong answers", () => {
    const result = tenantThreshold([
      ...feedback(400, 0.97, true),
      ...feedback(30, 0.9, false),
      ...feedback(100, 0.5, true),
    ]);
    expect(result.threshold).toBeGreaterThan(0.9);
    expect(result.wrongHealBound).toBeLessThanOrEqual(TENANT_THRESHOLD.maxWrongHealRate);
  });

  it("never goes below the floor, and refuses to heal when nothing meets the budget", () => {
    expect(tenantThreshold(feedback(1000, 0.1, true)).threshold).toBe(TENANT_THRESHOLD.floor);
    expect(tenantThreshold(feedback(100, 0.999, false)).threshold).toBe(0.99);
  });
});

function example(i: number): HealingExample {
  const label = ["Save", "Cancel", "Export", "Delete"][i % 4]!;
  const target: ElementDescriptor = { tag: "button", attributes: { id: `b-${i}` }, text: label };
  const candidates: ElementDescriptor[] = [
    { tag: "button", text: "Other" },
    { tag: "a", text: label, attributes: { id: `b-${i}` } },
  ];
  return { target, candidates, correctIndex: 1 };
}

function distance(a: Record<string, number>, b: Record<string, number>): number {
  return Object.keys(a).reduce((sum, key) => sum + Math.abs((a[key] ?? 0) - (b[key] ?? 0)), 0);
}

describe("tenant retraining", () => {
  const examples = Array.from({ length: 20 }, (_, i) => example(i));

  it("stays near the shared model on a small tenant, unlike a fit from scratch", () => {
    const tenant = fitTenantModel(examples, { version: "t" });
    const scratch = fitWeights(examples, { version: "t", prior: null });
    expect(distance(tenant.weights, DEFAULT_MODEL.weights)).toBeLessThan(
      distance(scratch.weights, DEFAULT_MODEL.weights) / 2,
    );
  });

  it("fitWeights pulls toward the shared model by default (the retraining job's call)", () => {
    const byDefault = fitWeights(examples, { version: "t" });
    expect(byDefault.weights).toEqual(fitTenantModel(examples, { version: "t" }).weights);
  });
});
