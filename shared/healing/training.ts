/**
 * Fitting the combination from labelled heals: logistic regression by gradient descent over
 * strategy scores (hard-negative mining), Platt calibration over (top logit, margin), and the
 * abstention threshold. Used for the default model and, later, per-tenant retraining from feedback.
 */
import { coldStartSelectors, targetFromSelector } from "./cold-start.ts";
import {
  calibratedConfidence,
  isSelectorOnly,
  modelFor,
  presenceFeature,
  type ScoreVector,
  scorePair,
  sigmoid,
} from "./model.ts";
import { type PreparedElement, prepareElement } from "./prepare.ts";
import { rankCandidates } from "./ranking.ts";
import { STRATEGIES } from "./strategies/index.ts";
import type { ElementDescriptor, HealingModel } from "./types.ts";

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
  l2?: number;
  hardNegatives?: number;
  version?: string;
};

type PreparedExample = {
  target: PreparedElement;
  candidates: PreparedElement[];
  correctIndex: number | null;
};

const FEATURES: string[] = STRATEGIES.flatMap((strategy) => [strategy.name, presenceFeature(strategy.name)]);

function prepareExample(example: HealingExample): PreparedExample {
  return {
    target: prepareElement(example.target),
    candidates: example.candidates.map(prepareElement),
    correctIndex: example.correctIndex,
  };
}

function featureRow(scores: ScoreVector): Float64Array {
  const row = new Float64Array(FEATURES.length);
  scores.forEach((result, i) => {
    if (!result) return;
    row[2 * i] = result.score;
    row[2 * i + 1] = 1;
  });
  return row;
}

function allScores(example: PreparedExample, index: number): ScoreVector {
  const scores: ScoreVector = new Array(STRATEGIES.length).fill(null);
  scorePair(example.target, example.candidates[index]!, scores, "cheap");
  scorePair(example.target, example.candidates[index]!, scores, "expensive");
  return scores;
}

function dot(weights: Float64Array, row: Float64Array): number {
  let sum = weights[weights.length - 1]!; // bias is the last slot
  for (let i = 0; i < row.length; i++) sum += weights[i]! * row[i]!;
  return sum;
}

/** Deterministic PRNG so a refit on the same data gives the same model. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Group = { rows: Float64Array[]; positive: number };

/**
 * Adam on two losses sharing one linear score: a per-candidate log-loss (anchors the absolute
 * level, which abstention needs) plus a listwise softmax over each example's shortlist (ranks the
 * right candidate first). Score weights stay ≥ 0 so more similarity never lowers the logit.
 */
function gradientDescent(
  groups: Group[],
  start: Float64Array,
  options: {
    epochs: number;
    learningRate: number;
    l2: number;
    nonNegative: (i: number) => boolean;
    listwise: number;
  },
): Float64Array {
  const weights = start.slice();
  const bias = weights.length - 1;
  const m = new Float64Array(weights.length);
  const v = new Float64Array(weights.length);
  const gradient = new Float64Array(weights.length);
  let rowCount = 0;
  for (const group of groups) rowCount += group.rows.length;
  const logits = new Float64Array(Math.max(1, ...groups.map((g) => g.rows.length)));
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    gradient.fill(0);
    for (const group of groups) {
      let max = Number.NEGATIVE_INFINITY;
      group.rows.forEach((row, r) => {
        logits[r] = dot(weights, row);
        max = Math.max(max, logits[r]!);
      });
      let total = 0;
      for (let r = 0; r < group.rows.length; r++) total += Math.exp(logits[r]! - max);
      group.rows.forEach((row, r) => {
        const label = r === group.positive ? 1 : 0;
        let error = sigmoid(logits[r]!) - label;
        // Softmax term, scaled to the same per-row footing as the binary term.
        if (group.positive >= 0)
          error += (options.listwise * (Math.exp(logits[r]! - max) / total - label) * group.rows.length) / 4;
        for (let i = 0; i < row.length; i++) gradient[i]! += error * row[i]!;
        gradient[bias]! += error;
      });
    }
    for (let i = 0; i < weights.length; i++) {
      const g = gradient[i]! / rowCount + (i < bias ? options.l2 * weights[i]! : 0);
      m[i] = 0.9 * m[i]! + 0.1 * g;
      v[i] = 0.999 * v[i]! + 0.001 * g * g;
      const step =
        (options.learningRate * (m[i]! / (1 - 0.9 ** epoch))) /
        (Math.sqrt(v[i]! / (1 - 0.999 ** epoch)) + 1e-8);
      weights[i] = weights[i]! - step;
      if (options.nonNegative(i) && weights[i]! < 0) weights[i] = 0;
    }
  }
  return weights;
}

function toModel(weights: Float64Array, base: Omit<HealingModel, "weights" | "bias">): HealingModel {
  const named: Record<string, number> = {};
  FEATURES.forEach((feature, i) => {
    named[feature] = Math.round(weights[i]! * 1000) / 1000;
  });
  return { ...base, weights: named, bias: Math.round(weights[FEATURES.length]! * 1000) / 1000 };
}

type Prediction = { index: number | null; topLogit: number; secondLogit: number | null };

function predict(model: HealingModel, example: PreparedExample): Prediction {
  const ranked = rankCandidates(model, example.target, example.candidates);
  const top = ranked[0];
  return {
    index: top?.index ?? null,
    topLogit: top?.logit ?? Number.NEGATIVE_INFINITY,
    secondLogit: ranked[1]?.logit ?? null,
  };
}

function hardNegativeGroups(
  examples: PreparedExample[],
  score: (row: Float64Array) => number,
  count: number,
  random: () => number,
): Group[] {
  return examples.map((example) => {
    const scored: { row: Float64Array; value: number; positive: boolean }[] = [];
    example.candidates.forEach((candidate, index) => {
      if (candidate.hidden) return;
      const row = featureRow(allScores(example, index));
      scored.push({ row, value: score(row), positive: index === example.correctIndex });
    });
    scored.sort((a, b) => b.value - a.value);
    const group: Group = { rows: [], positive: -1 };
    let negatives = 0;
    for (const entry of scored) {
      if (entry.positive) {
        group.positive = group.rows.length;
        group.rows.push(entry.row);
      } else if (negatives < count) {
        group.rows.push(entry.row);
        negatives++;
      }
    }
    // A few random negatives keep easy cases easy.
    for (let k = 0; k < 3 && scored.length > count + 1; k++) {
      const entry = scored[count + 1 + Math.floor(random() * (scored.length - count - 1))]!;
      if (!entry.positive) group.rows.push(entry.row);
    }
    return group;
  });
}

/**
 * Fits weights, calibration and threshold on labelled examples.
 * @example const model = fitWeights(examples, { version: "tenant-42-2026-11" })
 */
export function fitWeights(examples: HealingExample[], options: FitOptions = {}): HealingModel {
  let model = fitRegime(examples, options);
  // Without layout the position feature is absent for every candidate: a second combination,
  // fitted and calibrated on the same examples with rects removed, serves that regime. All
  // regimes are calibrated, so the main threshold (chosen on all examples) applies to each.
  if (examples.some(hasRects)) {
    const { weights, bias, calibration } = fitRegime(examples.map(withoutRects), options);
    model = { ...model, noRect: { weights, bias, calibration } };
  }
  // Cold start: the same heals seen through the locator a test author wrote, nothing more.
  const cold = coldStartExamples(examples);
  if (cold.length >= MIN_COLD_START_EXAMPLES) {
    const { weights, bias, calibration } = fitRegime(cold, options);
    model = { ...model, coldStart: { weights, bias, calibration } };
  }
  return model;
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
  const epochs = options.epochs ?? 400;
  const learningRate = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 1e-4;
  const hardNegatives = options.hardNegatives ?? 12;
  const random = mulberry32(42);
  const prepared = examples.map(prepareExample);
  const nonNegative = (i: number) => i < FEATURES.length && i % 2 === 0;
  // Round 1 mines negatives by plain score sum; round 2 by the fitted model.
  let weights: Float64Array = new Float64Array(FEATURES.length + 1);
  const uniform = (row: Float64Array) => row.reduce((sum, value, i) => (i % 2 === 0 ? sum + value : sum), 0);
  for (const scorer of [uniform, (row: Float64Array) => dot(weights, row)]) {
    const groups = hardNegativeGroups(prepared, scorer, hardNegatives, random);
    weights = gradientDescent(groups, weights, { epochs, learningRate, l2, nonNegative, listwise: 1 });
  }
  let model = toModel(weights, {
    calibration: { top: 1, margin: 0, intercept: 0 },
    threshold: 0.5,
    version: options.version ?? "fitted",
  });
  const predictions = prepared.map((example) => predict(model, example));
  model = { ...model, calibration: fitCalibration(prepared, predictions, epochs, learningRate) };
  return {
    ...model,
    threshold: chooseThreshold(model, prepared, predictions, options.maxWrongHealRate ?? 0.01),
  };
}

const CALIBRATION_MARGIN_CAP = 6;
/** Raw calibrated confidence from which the ceiling's evidence is counted. */
const CEILING_REGION = 0.99;

/** Platt scaling on (top logit, margin to the runner-up) with the label "the top candidate is right". */
function fitCalibration(
  prepared: PreparedExample[],
  predictions: Prediction[],
  epochs: number,
  learningRate: number,
) {
  // One single-row group per example: the listwise term is off, this is plain Platt scaling.
  const groups: Group[] = [];
  predictions.forEach((prediction, i) => {
    if (prediction.index === null) return;
    const margin =
      prediction.secondLogit === null
        ? CALIBRATION_MARGIN_CAP
        : Math.min(CALIBRATION_MARGIN_CAP, prediction.topLogit - prediction.secondLogit);
    const right = prediction.index === prepared[i]!.correctIndex;
    groups.push({ rows: [Float64Array.of(prediction.topLogit, margin)], positive: right ? 0 : -1 });
  });
  const weights = gradientDescent(groups, Float64Array.of(1, 0.5, 0), {
    epochs: epochs * 2,
    learningRate,
    l2: 0,
    nonNegative: (i) => i < 2,
    listwise: 0,
  });
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  const calibration = { top: round(weights[0]!), margin: round(weights[1]!), intercept: round(weights[2]!) };
  // The sigmoid saturates where the examples run out. Laplace's rule of succession caps it: with n
  // examples in the top region (≥ CEILING_REGION) of which k were right, claim at most (k+1)/(n+2).
  // A regime backed by fewer right answers (cold start) therefore tops out lower.
  let n = 0;
  let k = 0;
  groups.forEach((group) => {
    const [top, margin] = group.rows[0]!;
    if (
      sigmoid(calibration.top * top! + calibration.margin * margin! + calibration.intercept) < CEILING_REGION
    )
      return;
    n++;
    if (group.positive === 0) k++;
  });
  return n === 0
    ? calibration
    : { ...calibration, ceiling: Math.floor(((k + 1) / (n + 2)) * 10_000) / 10_000 };
}

function chooseThreshold(
  model: HealingModel,
  prepared: PreparedExample[],
  predictions: Prediction[],
  maxWrong: number,
) {
  const decisions = predictions.map((prediction, i) => ({
    confidence:
      prediction.index === null
        ? 0
        : calibratedConfidence(model, prediction.topLogit, prediction.secondLogit),
    right: prediction.index !== null && prediction.index === prepared[i]!.correctIndex,
  }));
  for (let threshold = 0.3; threshold < 0.99; threshold += 0.01) {
    const wrong = decisions.filter((d) => d.confidence >= threshold && !d.right).length;
    if (wrong / Math.max(1, decisions.length) <= maxWrong) return Math.round(threshold * 100) / 100;
  }
  return 0.99;
}

/** Metrics of a model on labelled examples (the engine's own ranking path, no AI). */
export function evaluate(model: HealingModel, examples: HealingExample[]): HealingMetrics {
  const outcomes = examples.map((example) => {
    const prepared = prepareExample(example);
    const regime = modelFor(model, prepared.target, prepared.candidates);
    const prediction = predict(regime, prepared);
    const confidence =
      prediction.index === null
        ? 0
        : calibratedConfidence(regime, prediction.topLogit, prediction.secondLogit);
    return {
      example,
      prediction,
      confidence,
      healed: prediction.index !== null && confidence >= regime.threshold,
    };
  });
  return metricsOf(
    outcomes.map(({ example, prediction, confidence, healed }) => ({
      correctIndex: example.correctIndex,
      index: prediction.index,
      confidence,
      healed,
    })),
  );
}

export type HealOutcome = {
  correctIndex: number | null;
  index: number | null;
  confidence: number;
  healed: boolean;
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
