/**
 * Fitting the combination from labelled heals: a ranking objective over each page's candidates
 * (fit-core.ts), Platt calibration over the ranking's evidence (fit-calibration.ts) and the
 * abstention threshold. Used for the default model and for per-tenant retraining from feedback,
 * where the fit is pulled toward the shared model so a small tenant cannot overfit.
 */
import { seededRng } from "../random.ts";
import { coldStartSelectors, targetFromSelector } from "./cold-start.ts";
import { DEFAULT_MODEL } from "./default-model.ts";
import { confidenceOf, fitPlatt, thresholdFor } from "./fit-calibration.ts";
import {
  answerFactor,
  type Evidence,
  evidenceOf,
  FEATURES,
  fitRanking,
  mineGroups,
  type PageRows,
  pageRows,
} from "./fit-core.ts";
import { fitIsotonic } from "./fit-isotonic.ts";
import { isSelectorOnly, modelFor } from "./model.ts";
import { prepareElement } from "./prepare.ts";
import type { ElementDescriptor, HealingModel, HealingModelVariant } from "./types.ts";

export type HealingExample = {
  target: ElementDescriptor;
  candidates: ElementDescriptor[];
  /** The candidate that is the old element, or null when it was removed (the right answer is to abstain). */
  correctIndex: number | null;
  kind?: string;
};

export type HealingMetrics = {
  examples: number;
  /** Ranking accuracy where the element survives, before the threshold. */
  top1: number;
  /** Heals that are wrong (wrong element, or element was gone), over all examples. */
  wrongHealRate: number;
  /** Share of removed-element examples answered healed:false. */
  abstainAccuracy: number;
  /** Share of surviving-element examples healed to the right element. */
  healedCorrectRate: number;
  /** Expected calibration error over 10 equal-width confidence bins. */
  ece: number;
};

export type FitOptions = {
  /** Wrong heals tolerated (over all examples) when choosing the threshold. */
  maxWrongHealRate?: number;
  epochs?: number;
  learningRate?: number;
  /** L2 strength (toward `prior` when given). */
  l2?: number;
  hardNegatives?: number;
  version?: string;
  /**
   * Weights to start from and shrink toward (a tenant's fit stays near the shared model; the pull
   * weakens as examples accumulate). fitWeights defaults it to the shared DEFAULT_MODEL; null fits
   * from zero with plain L2 (how the shared model itself is fitted).
   */
  prior?: HealingModel | null;
  /** Relative weight of each example (same order), e.g. to balance data sources. */
  exampleWeights?: number[];
  /** Weight of each example in calibration (Platt, isotonic map) when not `exampleWeights`. */
  calibrationWeights?: number[];
  /**
   * Weights to start from without shrinking toward them (a fit refined from an earlier one on
   * other data): one round of negative mining by them instead of two from scratch.
   */
  start?: HealingModel;
  /** Strategies left out of the fit (their weights stay zero), for ablations. */
  without?: string[];
  /**
   * Cross-fitted calibration: the fold of each example (same order). Calibration and threshold
   * are then fitted on each fold's evidence under weights fitted without it, at one extra fit per
   * fold; the shipped weights are still fitted on everything.
   */
  calibrationFolds?: number[];
  /**
   * With `calibrationFolds`: an isotonic map (fit-isotonic.ts) fitted on the out-of-fold Platt
   * confidences, applied after Platt. In-sample evidence is too optimistic to shape it.
   */
  isotonic?: boolean;
};

/** A model regime's weights as one vector in FEATURES order, bias last. */
export function weightVector(variant: Pick<HealingModel, "weights" | "bias">): Float64Array {
  const vector = new Float64Array(FEATURES.length + 1);
  FEATURES.forEach((feature, i) => {
    vector[i] = variant.weights[feature] ?? 0;
  });
  vector[FEATURES.length] = variant.bias;
  return vector;
}

function weightRecord(vector: Float64Array): Pick<HealingModel, "weights" | "bias"> {
  const weights: Record<string, number> = {};
  FEATURES.forEach((feature, i) => {
    weights[feature] = Math.round(vector[i]! * 1000) / 1000;
  });
  return { weights, bias: Math.round(vector[FEATURES.length]! * 1000) / 1000 };
}

export function examplePages(examples: readonly HealingExample[]): PageRows[] {
  return examples.map((example) =>
    pageRows(prepareElement(example.target), example.candidates.map(prepareElement), example.correctIndex),
  );
}

/**
 * Ranking weights on precomputed pages: negatives mined by the start weights (or a plain score sum),
 * then again by the fitted weights.
 */
export function fitPages(pages: readonly PageRows[], options: FitOptions = {}): Float64Array {
  // Seeded, so a refit on the same data gives the same model.
  const random = seededRng(42);
  const prior = options.prior ? weightVector(options.prior) : undefined;
  const start = options.start ? weightVector(options.start) : prior;
  // The pull toward a prior is worth about PRIOR_EXAMPLES examples, whatever the data size.
  const l2 = options.l2 ?? (prior ? PRIOR_EXAMPLES / Math.max(1, pages.length) : 1e-4);
  const pageWeight = (i: number) => options.exampleWeights?.[i] ?? 1;
  const frozen = new Set(
    FEATURES.flatMap((feature, i) => (options.without?.includes(feature.replace(/\?$/, "")) ? [i] : [])),
  );
  let weights = start ? start.slice() : new Float64Array(FEATURES.length + 1);
  const uniform = new Float64Array(FEATURES.length + 1).map((_, i) =>
    i < FEATURES.length && i % 2 === 0 ? 1 : 0,
  );
  // From scratch: mine by a plain score sum, fit, mine again by the fit. From a start: once.
  const miners = start ? [start] : [uniform, null];
  for (const miner of miners) {
    const groups = mineGroups(pages, miner ?? weights, options.hardNegatives ?? 12, random, pageWeight);
    weights = fitRanking(groups, weights, {
      epochs: options.epochs ?? (start ? 60 : 300),
      learningRate: options.learningRate ?? 0.05,
      l2,
      prior,
      pointwise: 0.3,
      hardNegatives: options.hardNegatives ?? 12,
      frozen,
    });
  }
  return weightVector(weightRecord(weights));
}

/**
 * Precision of the pull toward a prior, in units of the summed loss: about what a handful of
 * examples weigh, so a tenant with 20 examples stays near the shared model and one with 2000
 * follows its own data.
 */
const PRIOR_EXAMPLES = 5;

/** Weights, calibration and the evidence they were calibrated on, for one regime. */
export function fitRegimePages(
  pages: readonly PageRows[],
  options: FitOptions = {},
): { variant: HealingModelVariant; evidence: Evidence[] } {
  const vector = fitPages(pages, options);
  const evidence = pages.map((page) => evidenceOf(vector, page));
  const calibration = fitPlatt(evidence, options.exampleWeights);
  return { variant: { ...weightRecord(vector), calibration }, evidence };
}

/**
 * Fits weights, calibration and threshold on labelled examples.
 * @example const model = fitWeights(examples, { version: "tenant-42-2026-11" })
 */
export function fitWeights(examples: HealingExample[], given: FitOptions = {}): HealingModel {
  const options = { ...given, prior: given.prior === undefined ? DEFAULT_MODEL : given.prior };
  let model = fitFromPages(regimePages(examples), options);
  // Cold start: the same heals seen through the locator a test author wrote, nothing more.
  const cold = coldStartExamples(examples);
  if (cold.length >= MIN_COLD_START_EXAMPLES) {
    const prior = variantPrior(options.prior, "coldStart");
    const { weights, bias, calibration } = fitRegime(cold, {
      ...options,
      prior,
      exampleWeights: undefined,
      calibrationWeights: undefined,
      calibrationFolds: undefined,
    });
    model = { ...model, coldStart: { weights, bias, calibration } };
  }
  return model;
}

/** The prior's own regime (a model without one is its main weights). */
function variantPrior(prior: HealingModel | null | undefined, name: "noRect" | "coldStart") {
  if (!prior) return undefined;
  const variant = prior[name];
  return variant ? { ...prior, ...variant } : prior;
}

/** Fewer selector-only examples than this cannot calibrate a regime of their own. */
const MIN_COLD_START_EXAMPLES = 20;

/**
 * Each labelled heal seen as a cold start: the target rebuilt with targetFromSelector from one
 * locator a test author could have written for it (the kinds rotate over the examples), so the
 * cold-start regime is fitted and calibrated on exactly what the engine gets from a selector.
 * Targets that are selector-only already are kept as they are.
 */
export function coldStartExamples(examples: HealingExample[]): HealingExample[] {
  const result: HealingExample[] = [];
  examples.forEach((example, i) => {
    const prepared = prepareElement(example.target);
    if (isSelectorOnly(prepared)) {
      result.push(example);
      return;
    }
    const selectors = coldStartSelectors(example.target, prepared.role, prepared.accessibleNameDisplay);
    const chosen = selectors[i % Math.max(1, selectors.length)];
    const target = chosen ? targetFromSelector(chosen.selector) : null;
    if (!target || !chosen) return;
    result.push({ ...example, target, kind: `cold-start:${chosen.kind}` });
  });
  return result;
}

function hasRects(example: HealingExample): boolean {
  return (
    example.target.rect !== undefined && example.candidates.some((candidate) => candidate.rect !== undefined)
  );
}

function withoutRect(descriptor: ElementDescriptor): ElementDescriptor {
  if (descriptor.rect === undefined) return descriptor;
  const { rect: _, ...rest } = descriptor;
  return rest;
}

function withoutRects(example: HealingExample): HealingExample {
  return { ...example, target: withoutRect(example.target), candidates: example.candidates.map(withoutRect) };
}

function fitRegime(examples: HealingExample[], options: FitOptions): HealingModel {
  const prior = options.prior;
  const pages = examplePages(examples);
  const { variant, evidence } = fitRegimePages(pages, options);
  const model: HealingModel = {
    ...variant,
    threshold: prior?.threshold ?? 0.5,
    version: options.version ?? "fitted",
  };
  const decisions = evidence.map((e, k) => ({
    confidence: confidenceOf(model, e) * answerFactor(pages[k]!, e.top),
    right: e.right,
  }));
  return { ...model, threshold: thresholdFor(decisions, options.maxWrongHealRate ?? 0.01) };
}

/** Examples as rows for both layout regimes, and the regime the engine would score each with. */
export type RegimePages = { main: PageRows[]; noRect: PageRows[]; usesNoRect: boolean[] };

export function regimePages(examples: readonly HealingExample[]): RegimePages {
  const main = examplePages(examples);
  const usesNoRect = examples.map((example) => !hasRects(example));
  // Without rects on either side the rows are the same; only examples with layout are rescored.
  const noRect = examples.map((example, i) =>
    usesNoRect[i] ? main[i]! : examplePages([withoutRects(example)])[0]!,
  );
  return { main, noRect, usesNoRect };
}

/**
 * The main and no-rect regimes fitted on the pages `keep` selects (all by default), with one
 * threshold chosen on the confidence each example gets from the regime the engine would use.
 * With `calibrationFolds`, calibration and threshold are fitted on out-of-fold evidence: each fold's
 * pages are ranked by weights fitted without that fold, so they see the margins a page the weights
 * never saw gets (docs/heal-model.md, calibration), not the wider in-sample ones.
 */
export function fitFromPages(
  pages: RegimePages,
  options: FitOptions,
  keep: (i: number) => boolean = () => true,
): HealingModel {
  const picked = pages.main.map((_, i) => i).filter(keep);
  const withRects = picked.some((i) => !pages.usesNoRect[i]);
  const regimeWeights = (subset: number[]) => {
    const exampleWeights = options.exampleWeights && subset.map((i) => options.exampleWeights![i]!);
    const main = fitPages(
      subset.map((i) => pages.main[i]!),
      { ...options, exampleWeights },
    );
    const noRect = withRects
      ? fitPages(
          subset.map((i) => pages.noRect[i]!),
          {
            ...options,
            prior: variantPrior(options.prior, "noRect"),
            start: variantPrior(options.start, "noRect"),
            exampleWeights,
          },
        )
      : null;
    return { main, noRect };
  };
  const full = regimeWeights(picked);
  // Evidence per picked page under both regimes' weights: in sample, or from the fold that left it out.
  const evidence = { main: new Array<Evidence>(picked.length), noRect: new Array<Evidence>(picked.length) };
  const folds = options.calibrationFolds;
  for (const fold of folds ? new Set(picked.map((i) => folds[i]!)) : [null]) {
    const vectors = fold === null ? full : regimeWeights(picked.filter((i) => folds![i] !== fold));
    picked.forEach((i, k) => {
      if (fold !== null && folds![i] !== fold) return;
      evidence.main[k] = evidenceOf(vectors.main, pages.main[i]!);
      if (vectors.noRect) evidence.noRect[k] = evidenceOf(vectors.noRect, pages.noRect[i]!);
    });
  }
  const weightsOfCalibration = options.calibrationWeights ?? options.exampleWeights;
  const calibrationWeights = weightsOfCalibration && picked.map((i) => weightsOfCalibration[i]!);
  let model: HealingModel = {
    ...weightRecord(full.main),
    calibration: fitPlatt(evidence.main, calibrationWeights),
    threshold: 0.5,
    version: options.version ?? "fitted",
  };
  if (full.noRect)
    model = {
      ...model,
      noRect: { ...weightRecord(full.noRect), calibration: fitPlatt(evidence.noRect, calibrationWeights) },
    };
  if (folds && options.isotonic) model = withIsotonic(model, evidence, calibrationWeights);
  const decisions = picked.map((i, k) => {
    const noRect = pages.usesNoRect[i] && model.noRect !== undefined;
    const regime = noRect ? { ...model, ...model.noRect } : model;
    const e = noRect ? evidence.noRect[k]! : evidence.main[k]!;
    const page = noRect ? pages.noRect[i]! : pages.main[i]!;
    return { confidence: confidenceOf(regime, e) * answerFactor(page, e.top), right: e.right };
  });
  return { ...model, threshold: thresholdFor(decisions, options.maxWrongHealRate ?? 0.01) };
}

/** Each regime's calibration followed by an isotonic map fitted on its own (out-of-fold) evidence. */
function withIsotonic(
  model: HealingModel,
  evidence: { main: Evidence[]; noRect: Evidence[] },
  weights: number[] | undefined,
): HealingModel {
  const remap = (regime: HealingModel, list: Evidence[]) => {
    const points = list.flatMap((e, k) =>
      e.top === null ? [] : [{ confidence: confidenceOf(regime, e), right: e.right, weight: weights?.[k] }],
    );
    const isotonic = fitIsotonic(points);
    return isotonic ? { ...regime.calibration, isotonic } : regime.calibration;
  };
  const result: HealingModel = { ...model, calibration: remap(model, evidence.main) };
  if (!model.noRect) return result;
  return {
    ...result,
    noRect: { ...model.noRect, calibration: remap({ ...model, ...model.noRect }, evidence.noRect) },
  };
}

/** Metrics of a model on labelled examples: the engine's own ranking, replayed (no AI). */
export function evaluate(model: HealingModel, examples: HealingExample[]): HealingMetrics {
  return metricsOf(examples.map((example) => outcomeOf(model, example)));
}

/** The engine's answer to one example under `model` (top candidate even when it abstains). */
export function outcomeOf(model: HealingModel, example: HealingExample): HealOutcome {
  const target = prepareElement(example.target);
  const candidates = example.candidates.map(prepareElement);
  return outcomeOnPage(
    modelFor(model, target, candidates),
    pageRows(target, candidates, example.correctIndex),
  );
}

/** The answer on a page's rows under one regime of a model (its weights, calibration and threshold). */
export function outcomeOnPage(regime: HealingModel, page: PageRows): HealOutcome {
  const evidence = evidenceOf(weightVector(regime), page);
  // As heal.ts answers: the calibrated confidence, then the answer's own factor (elsewhere.ts).
  const confidence = confidenceOf(regime, evidence) * answerFactor(page, evidence.top);
  return {
    correctIndex: page.correctIndex,
    index: evidence.top === null ? null : page.indices[evidence.top]!,
    confidence,
    healed: evidence.top !== null && confidence >= regime.threshold,
    rank: evidence.rightRank,
  };
}

export type HealOutcome = {
  correctIndex: number | null;
  index: number | null;
  confidence: number;
  healed: boolean;
  /** Where the engine ranked the right candidate (1 = top; null: removed or not ranked). */
  rank?: number | null;
};

/** Shared by evaluate() and the benchmark's baselines so all systems are measured alike. */
export function metricsOf(outcomes: HealOutcome[]): HealingMetrics {
  const surviving = outcomes.filter((o) => o.correctIndex !== null);
  const removed = outcomes.filter((o) => o.correctIndex === null);
  const right = (o: HealOutcome) => o.index !== null && o.index === o.correctIndex;
  const bins = Array.from({ length: 10 }, () => ({ count: 0, confidence: 0, right: 0 }));
  for (const o of outcomes) {
    const bin = bins[Math.min(9, Math.floor(o.confidence * 10))]!;
    bin.count++;
    bin.confidence += o.confidence;
    bin.right += right(o) ? 1 : 0;
  }
  const ece =
    bins.reduce((sum, bin) => sum + Math.abs(bin.confidence - bin.right), 0) / Math.max(1, outcomes.length);
  const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  return {
    examples: outcomes.length,
    top1: share(surviving.filter(right).length, surviving.length),
    wrongHealRate: share(outcomes.filter((o) => o.healed && !right(o)).length, outcomes.length),
    abstainAccuracy: share(removed.filter((o) => !o.healed).length, removed.length),
    healedCorrectRate: share(surviving.filter((o) => o.healed && right(o)).length, surviving.length),
    ece,
  };
}
