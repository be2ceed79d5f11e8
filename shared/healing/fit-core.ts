/**
 * The numeric core of fitting, on feature rows computed once per page: a ranking objective (softmax
 * over a page's candidates, plus a small per-candidate log-loss that anchors the absolute level
 * abstention needs), optionally pulled toward prior weights, and the engine's ranking replayed on
 * rows (cheap pass, shortlist, full pass) so that fitting and cross-validation never rescore pairs.
 */
import { carriesIdentity, elsewhereFactor, surroundingsGone } from "./elsewhere.ts";
import { presenceFeature, type ScoreVector, scorePair, sigmoid } from "./model.ts";
import type { PreparedElement } from "./prepare.ts";
import { SHORTLIST_SIZE } from "./ranking.ts";
import { shortlistCandidates } from "./shortlist.ts";
import { STRATEGIES } from "./strategies/index.ts";
import { sameVisual } from "./visual.ts";

export const FEATURES: string[] = STRATEGIES.flatMap((strategy) => [
  strategy.name,
  presenceFeature(strategy.name),
]);
/** Feature i is computed in the engine's cheap pass (all candidates) rather than on the shortlist. */
const CHEAP = Uint8Array.from(FEATURES, (_, i) => (STRATEGIES[i >> 1]!.cost === "cheap" ? 1 : 0));
const BIAS = FEATURES.length;

/** A page seen through the features: the rows of the candidates the engine would score. */
export type PageRows = {
  rows: Float64Array[];
  /** Prepared candidate per row (for visual groups), and its index among the page's candidates. */
  elements: PreparedElement[];
  indices: number[];
  /** Row of the right candidate; -1 when it is absent (removed, or dropped by the shortlist). */
  positive: number;
  /** The right candidate's index among the page's candidates (null: removed, abstaining is right). */
  correctIndex: number | null;
  /** Per row: the candidate carries the target's identity (elsewhere.ts). */
  carries: boolean[];
  /** The page kept none of the target's neighbour texts (elsewhere.ts). */
  surroundingsGone: boolean;
};

/** The factor heal.ts applies to an answer's confidence for this page's top row (elsewhere.ts). */
export function answerFactor(page: PageRows, top: number | null): number {
  return top === null ? 1 : elsewhereFactor(page.carries[top]!, () => page.surroundingsGone);
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

/** Rows of the candidates that survive the weight-independent first shortlist, as in healCandidates. */
export function pageRows(
  target: PreparedElement,
  candidates: readonly PreparedElement[],
  correctIndex: number | null,
): PageRows {
  const kept = shortlistCandidates(target, candidates);
  const page: PageRows = {
    rows: [],
    elements: [],
    indices: [],
    positive: -1,
    correctIndex,
    carries: [],
    surroundingsGone: surroundingsGone(target, () => candidates.map((c) => c.descriptor.text ?? "")),
  };
  for (const index of kept) {
    const candidate = candidates[index]!;
    const scores: ScoreVector = new Array(STRATEGIES.length).fill(null);
    scorePair(target, candidate, scores, "cheap");
    scorePair(target, candidate, scores, "expensive");
    if (index === correctIndex) page.positive = page.rows.length;
    page.rows.push(featureRow(scores));
    page.carries.push(carriesIdentity(scores));
    page.elements.push(candidate);
    page.indices.push(index);
  }
  return page;
}

export function dot(weights: Float64Array, row: Float64Array, cheapOnly = false): number {
  let sum = weights[BIAS]!;
  for (let i = 0; i < row.length; i++) if (!cheapOnly || CHEAP[i]) sum += weights[i]! * row[i]!;
  return sum;
}

/** What the engine would see for this page: its ranking and the evidence calibration uses. */
export type Evidence = {
  top: number | null;
  topLogit: number;
  secondLogit: number | null;
  outsideGroupLogit: number | null;
  count: number;
  right: boolean;
  /** 1-based place of the right candidate in the ranking (null: removed, or cut by the shortlist). */
  rightRank: number | null;
};

/** Replays rankCandidates: cheap logits for all, the best SHORTLIST_SIZE rescored in full. */
export function evidenceOf(weights: Float64Array, page: PageRows): Evidence {
  let order = page.rows.map((_, r) => r);
  if (order.length > SHORTLIST_SIZE) {
    const cheap = page.rows.map((row) => dot(weights, row, true));
    order.sort((a, b) => cheap[b]! - cheap[a]! || a - b);
    order = order.slice(0, SHORTLIST_SIZE);
  }
  const logits = new Map(order.map((r) => [r, dot(weights, page.rows[r]!)]));
  order.sort((a, b) => logits.get(b)! - logits.get(a)! || a - b);
  const top = order[0];
  if (top === undefined)
    return {
      top: null,
      topLogit: 0,
      secondLogit: null,
      outsideGroupLogit: null,
      count: 0,
      right: false,
      rightRank: null,
    };
  const outside = order.find((r) => r !== top && !sameVisual(page.elements[top]!, page.elements[r]!));
  return {
    top,
    topLogit: logits.get(top)!,
    secondLogit: order.length > 1 ? logits.get(order[1]!)! : null,
    outsideGroupLogit: outside === undefined ? null : logits.get(outside)!,
    count: order.length,
    right: top === page.positive,
    rightRank: page.positive < 0 ? null : order.indexOf(page.positive) + 1 || null,
  };
}

/** A training group: the right row (or -1) among mined negatives, with a weight per page. */
type Group = { rows: Float64Array[]; positive: number; weight: number };

export type RankingFitOptions = {
  epochs: number;
  learningRate: number;
  /** L2 strength, toward `prior` when given (a tenant model stays near the shared one), else 0. */
  l2: number;
  prior?: Float64Array;
  /** Weight of the per-candidate log-loss beside the softmax. */
  pointwise: number;
  hardNegatives: number;
  /** Feature slots held at zero (ablations: the fit as if those strategies did not exist). */
  frozen?: ReadonlySet<number>;
};

/** The hardest negatives by the given weights, plus a few random ones so easy cases stay easy. */
export function mineGroups(
  pages: readonly PageRows[],
  weights: Float64Array,
  count: number,
  random: () => number,
  pageWeight: (i: number) => number = () => 1,
): Group[] {
  return pages.map((page, p) => {
    const order = page.rows.map((_, r) => r);
    const scores = page.rows.map((row) => dot(weights, row));
    order.sort((a, b) => scores[b]! - scores[a]! || a - b);
    const group: Group = { rows: [], positive: -1, weight: pageWeight(p) };
    if (page.positive >= 0) {
      group.positive = 0;
      group.rows.push(page.rows[page.positive]!);
    }
    const negatives = order.filter((r) => r !== page.positive);
    for (const r of negatives.slice(0, count)) group.rows.push(page.rows[r]!);
    for (let k = 0; k < 3 && negatives.length > count; k++)
      group.rows.push(page.rows[negatives[count + Math.floor(random() * (negatives.length - count))]!]!);
    return group;
  });
}

/** Adam on softmax + pointwise log-loss; score weights (even slots) stay ≥ 0. */
export function fitRanking(groups: readonly Group[], start: Float64Array, options: RankingFitOptions) {
  const weights = start.slice();
  for (const i of options.frozen ?? []) weights[i] = 0;
  const m = new Float64Array(weights.length);
  const v = new Float64Array(weights.length);
  const gradient = new Float64Array(weights.length);
  let total = 0;
  for (const group of groups) total += group.weight;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    gradient.fill(0);
    for (const group of groups) accumulate(group, weights, gradient, options.pointwise);
    for (let i = 0; i < weights.length; i++) {
      const anchor = options.prior?.[i] ?? 0;
      const g = gradient[i]! / total + (i < BIAS ? options.l2 * (weights[i]! - anchor) : 0);
      m[i] = 0.9 * m[i]! + 0.1 * g;
      v[i] = 0.999 * v[i]! + 0.001 * g * g;
      weights[i] =
        weights[i]! -
        (options.learningRate * (m[i]! / (1 - 0.9 ** epoch))) /
          (Math.sqrt(v[i]! / (1 - 0.999 ** epoch)) + 1e-8);
      if (i < BIAS && i % 2 === 0 && weights[i]! < 0) weights[i] = 0;
      if (options.frozen?.has(i)) weights[i] = 0;
    }
  }
  return weights;
}

const scratch = { logits: new Float64Array(64) };

/** Adds one group's gradient; plain loops, since this runs rows × epochs × folds times. */
function accumulate(group: Group, weights: Float64Array, gradient: Float64Array, pointwise: number) {
  const n = group.rows.length;
  if (scratch.logits.length < n) scratch.logits = new Float64Array(2 * n);
  const logits = scratch.logits;
  let max = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    const row = group.rows[r]!;
    let sum = weights[BIAS]!;
    for (let i = 0; i < BIAS; i++) sum += weights[i]! * row[i]!;
    logits[r] = sum;
    if (sum > max) max = sum;
  }
  let total = 0;
  for (let r = 0; r < n; r++) total += Math.exp(logits[r]! - max);
  for (let r = 0; r < n; r++) {
    const row = group.rows[r]!;
    const label = r === group.positive ? 1 : 0;
    let error = (pointwise * (sigmoid(logits[r]!) - label)) / n;
    if (group.positive >= 0) error += Math.exp(logits[r]! - max) / total - label;
    error *= group.weight;
    if (error === 0) continue;
    for (let i = 0; i < BIAS; i++) gradient[i]! += error * row[i]!;
    gradient[BIAS]! += error;
  }
}
