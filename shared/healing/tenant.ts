/**
 * Per-tenant learning from feedback: an abstention threshold fitted to what a tenant accepted and
 * rejected, and retraining that starts from, and is pulled toward, the shared default model. Both
 * are conservative by construction: a tenant with little feedback keeps the shared behaviour.
 */
import { DEFAULT_MODEL } from "./default-model.ts";
import { type FitOptions, fitWeights, type HealingExample } from "./training.ts";
import type { HealingModel } from "./types.ts";

/** One answer the tenant judged: the confidence the engine gave its top pick, and whether it was right. */
export type ThresholdFeedback = { confidence: number; accepted: boolean };

export type TenantThreshold = {
  threshold: number;
  /** "shared": too little feedback, the model's own threshold applies. */
  basis: "shared" | "learned";
  feedback: number;
  /** Upper bound on the wrong-heal rate at `threshold` estimated from the feedback. */
  wrongHealBound: number;
};

export const TENANT_THRESHOLD = {
  /** Below this much feedback the shared threshold is kept. */
  minFeedback: 40,
  /** Wrong heals (over all judged answers) the tenant threshold may let through. */
  maxWrongHealRate: 0.02,
  /** A tenant threshold never goes below this, whatever the feedback says. */
  floor: 0.5,
} as const;

/**
 * Upper bound of a rate from `k` events in `n` trials: the rule of succession plus a one-sided
 * normal margin (z ≈ 1.64, 95 %), so a lucky streak on little data does not loosen the threshold.
 */
function upperBound(k: number, n: number): number {
  const p = (k + 1) / (n + 2);
  return p + 1.64 * Math.sqrt((p * (1 - p)) / (n + 2));
}

/**
 * The lowest threshold at which the wrong heals the tenant's feedback implies stay within budget,
 * with a confidence bound. It may be stricter than the shared one (a tenant whose pages fool the
 * engine) or looser (a tenant whose confident answers were always right), never below the floor.
 * @example tenantThreshold(feedback).threshold
 */
export function tenantThreshold(
  feedback: readonly ThresholdFeedback[],
  model: HealingModel = DEFAULT_MODEL,
): TenantThreshold {
  const n = feedback.length;
  const shared = {
    threshold: model.threshold,
    basis: "shared" as const,
    feedback: n,
    wrongHealBound: upperBound(wrongAt(feedback, model.threshold), n),
  };
  if (n < TENANT_THRESHOLD.minFeedback) return shared;
  for (let t = TENANT_THRESHOLD.floor; t < 0.995; t += 0.01) {
    const threshold = Math.round(t * 100) / 100;
    const bound = upperBound(wrongAt(feedback, threshold), n);
    if (bound <= TENANT_THRESHOLD.maxWrongHealRate)
      return { threshold, basis: "learned", feedback: n, wrongHealBound: bound };
  }
  // No threshold meets the budget with confidence: the strictest one (almost never heal) is honest.
  return {
    threshold: 0.99,
    basis: "learned",
    feedback: n,
    wrongHealBound: upperBound(wrongAt(feedback, 0.99), n),
  };
}

function wrongAt(feedback: readonly ThresholdFeedback[], threshold: number): number {
  let wrong = 0;
  for (const f of feedback) if (f.confidence >= threshold && !f.accepted) wrong++;
  return wrong;
}

/** The model a tenant heals with: its own (or the shared) weights and its learned threshold. */
export function withTenantThreshold(model: HealingModel, learned: TenantThreshold): HealingModel {
  return learned.basis === "learned" ? { ...model, threshold: learned.threshold } : model;
}

/**
 * Retraining for one tenant: starts from `base` and is regularised toward it, so with few examples
 * the result stays near the shared model and moves only as far as the tenant's data carries it.
 * fitWeights does the same by default (its `prior` is the shared model); this names the intent.
 */
export function fitTenantModel(
  examples: HealingExample[],
  options: FitOptions = {},
  base: HealingModel = DEFAULT_MODEL,
): HealingModel {
  return fitWeights(examples, { ...options, prior: base });
}
