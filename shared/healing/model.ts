/**
 * The combination: a logistic model over strategy scores. Each strategy contributes two features,
 * its score and a presence flag, so a strategy without evidence adds nothing rather than a zero.
 */
import { applyIsotonic } from "./fit-isotonic.ts";
import type { PreparedElement } from "./prepare.ts";
import { STRATEGIES } from "./strategies/index.ts";
import type { HealingModel, StrategyScore } from "./types.ts";

/** Scores per strategy, in STRATEGIES order; null = no evidence (or not computed yet). */
export type ScoreVector = (StrategyScore | null)[];

/** Margins above this carry no extra information and would let the calibration extrapolate. */
export const MAX_MARGIN = 6;

export function presenceFeature(strategyName: string): string {
  return `${strategyName}?`;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function scorePair(
  target: PreparedElement,
  candidate: PreparedElement,
  scores: ScoreVector,
  cost: "cheap" | "expensive",
): void {
  for (let i = 0; i < STRATEGIES.length; i++) {
    const strategy = STRATEGIES[i]!;
    if (strategy.cost === cost) scores[i] = strategy.score(target, candidate);
  }
}

/**
 * The weights in STRATEGIES order: [score weight, presence weight] per strategy. Looked up once per
 * weights record (models are immutable once built) instead of by feature name on every pair.
 */
const weightArrays = new WeakMap<Record<string, number>, Float64Array>();

function weightArrayOf(weights: Record<string, number>): Float64Array {
  let array = weightArrays.get(weights);
  if (!array) {
    array = new Float64Array(2 * STRATEGIES.length);
    for (let i = 0; i < STRATEGIES.length; i++) {
      const name = STRATEGIES[i]!.name;
      array[2 * i] = weights[name] ?? 0;
      array[2 * i + 1] = weights[presenceFeature(name)] ?? 0;
    }
    weightArrays.set(weights, array);
  }
  return array;
}

export function logit(model: HealingModel, scores: ScoreVector): number {
  const weights = weightArrayOf(model.weights);
  let sum = model.bias;
  for (let i = 0; i < STRATEGIES.length; i++) {
    const result = scores[i];
    if (!result) continue;
    sum += weights[2 * i]! * result.score + weights[2 * i + 1]!;
  }
  return sum;
}

/** The strategy whose evidence raised the logit most, for the response's `strategy` field. */
export function leadingStrategy(model: HealingModel, scores: ScoreVector): string {
  let best = "none";
  let bestContribution = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < STRATEGIES.length; i++) {
    const result = scores[i];
    if (!result) continue;
    const name = STRATEGIES[i]!.name;
    const contribution = (model.weights[name] ?? 0) * result.score;
    if (contribution > bestContribution) [best, bestContribution] = [name, contribution];
  }
  return best;
}

/** Below this logit margin the top two are "nearly tied" and confidence is explicitly halved at worst. */
export const TIE_MARGIN = 1;

/** What calibration knows about the ranking besides the top two logits. */
export type RankingContext = {
  /** Logit of the best candidate that is not the same visual element as the top, or null. */
  outsideGroupLogit?: number | null;
  /** Candidates ranked. */
  count?: number;
};

function clampMargin(margin: number): number {
  return Math.max(-MAX_MARGIN, Math.min(MAX_MARGIN, margin));
}

/**
 * Calibrated probability that the candidate with `topLogit` is right, given the runner-up. Both
 * coefficients are kept non-negative so confidence rises with evidence and falls when tied; a near
 * tie with a different element (for models with `group`: outside the top's visual group) is
 * penalised explicitly, because picking one of two twins is a coin toss.
 */
export function calibratedConfidence(
  model: HealingModel,
  topLogit: number,
  secondLogit: number | null,
  context: RankingContext = {},
): number {
  const margin = secondLogit === null ? MAX_MARGIN : clampMargin(topLogit - secondLogit);
  const { top, margin: marginWeight, intercept, ceiling = 1, group, count, isotonic } = model.calibration;
  let z = Math.max(0, top) * topLogit + Math.max(0, marginWeight) * margin + intercept;
  let confidence: number;
  if (group !== undefined) {
    const outside = context.outsideGroupLogit;
    const groupMargin =
      outside === undefined ? margin : outside === null ? MAX_MARGIN : clampMargin(topLogit - outside);
    z += Math.max(0, group) * groupMargin + (count ?? 0) * Math.log1p(context.count ?? 1);
    confidence = Math.min(ceiling, sigmoid(z)) * tiePenalty(groupMargin);
  } else confidence = Math.min(ceiling, sigmoid(z)) * tiePenalty(margin);
  return isotonic ? applyIsotonic(isotonic, confidence) : confidence;
}

/** Two different elements nearly tied: picking one is a coin toss whatever the evidence. */
function tiePenalty(margin: number): number {
  return margin >= TIE_MARGIN ? 1 : 0.5 + (0.5 * Math.max(0, margin)) / TIE_MARGIN;
}

const variants = new WeakMap<HealingModel, { noRect?: HealingModel; coldStart?: HealingModel }>();

/**
 * True when the target says only what a selector can say: no tree position, no layout, no
 * surrounding text (a target rebuilt from a failing selector, or an equally thin descriptor).
 */
export function isSelectorOnly(target: PreparedElement): boolean {
  const { above, below, left, right } = target.neighbors;
  return (
    target.pathTags.length === 0 &&
    target.idXpath === "" &&
    target.rect === null &&
    above.value === "" &&
    below.value === "" &&
    left.value === "" &&
    right.value === ""
  );
}

function variantOf(model: HealingModel, name: "noRect" | "coldStart"): HealingModel {
  let cached = variants.get(model);
  if (!cached) {
    cached = {};
    variants.set(model, cached);
  }
  let variant = cached[name];
  if (!variant) {
    const { weights, bias, calibration } = model[name]!;
    variant = { weights, bias, calibration, threshold: model.threshold, version: model.version };
    cached[name] = variant;
  }
  return variant;
}

/**
 * The model to score a heal with. A selector-only target uses the cold-start variant when the
 * model has one; without layout evidence (no rect on the target or on any candidate) the position
 * feature is absent for everyone, so the no-rect variant, fitted and calibrated for that regime,
 * is used when the model has one.
 */
export function modelFor(
  model: HealingModel,
  target: PreparedElement,
  candidates: readonly PreparedElement[],
): HealingModel {
  if (model.coldStart && isSelectorOnly(target)) return variantOf(model, "coldStart");
  if (!model.noRect) return model;
  if (target.rect && candidates.some((candidate) => candidate.rect)) return model;
  return variantOf(model, "noRect");
}
