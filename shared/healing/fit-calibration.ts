/**
 * Calibration and threshold from replayed rankings: Platt scaling over the top logit, the margin to
 * the runner-up, the margin to the best candidate outside the top's visual group and the candidate
 * count, with the label "the top candidate is right". The calibrated confidence is what
 * model.ts#calibratedConfidence computes at heal time from the same evidence.
 */
import type { Evidence } from "./fit-core.ts";
import { calibratedConfidence, MAX_MARGIN, sigmoid } from "./model.ts";
import type { Calibration, HealingModel } from "./types.ts";

function clamp(margin: number): number {
  return Math.max(-MAX_MARGIN, Math.min(MAX_MARGIN, margin));
}

function calibrationRow(e: Evidence): number[] {
  const margin = e.secondLogit === null ? MAX_MARGIN : clamp(e.topLogit - e.secondLogit);
  const group = e.outsideGroupLogit === null ? MAX_MARGIN : clamp(e.topLogit - e.outsideGroupLogit);
  return [e.topLogit, margin, group, Math.log1p(e.count)];
}

/** Raw calibrated confidence from which the ceiling's evidence is counted. */
const CEILING_REGION = 0.99;

/**
 * Logistic regression by Adam; the evidence weights (top, margin, group) stay ≥ 0 so confidence
 * never falls as evidence grows. The sigmoid saturates where examples run out: Laplace's rule of
 * succession over the examples in the top region caps it at (k+1)/(n+2).
 */
export function fitPlatt(evidence: readonly Evidence[], weights: readonly number[] = []): Calibration {
  const data = evidence
    .filter((e) => e.top !== null)
    .map((e) => ({ x: calibrationRow(e), y: e.right ? 1 : 0 }));
  const w = [1, 0.5, 0.5, 0, 0];
  const m = new Array(5).fill(0);
  const v = new Array(5).fill(0);
  const epochs = 1500;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const g = new Array(5).fill(0);
    data.forEach(({ x, y }, i) => {
      const weight = weights[i] ?? 1;
      const error = (sigmoid(w[4]! + x.reduce((s, xi, k) => s + w[k]! * xi, 0)) - y) * weight;
      for (let k = 0; k < 4; k++) g[k] += error * x[k]!;
      g[4] += error;
    });
    for (let k = 0; k < 5; k++) {
      const gk = g[k]! / Math.max(1, data.length);
      m[k] = 0.9 * m[k]! + 0.1 * gk;
      v[k] = 0.999 * v[k]! + 0.001 * gk * gk;
      w[k] = w[k]! - (0.05 * (m[k]! / (1 - 0.9 ** epoch))) / (Math.sqrt(v[k]! / (1 - 0.999 ** epoch)) + 1e-8);
      if (k < 3 && w[k]! < 0) w[k] = 0;
      // The candidate count is kept out: fitted on pages of 10–200 candidates it extrapolated to
      // near-certainty on a request with two (see test/healing/engine.test.ts, twins).
      if (k === 3) w[k] = 0;
    }
  }
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  const calibration: Calibration = {
    top: round(w[0]!),
    margin: round(w[1]!),
    group: round(w[2]!),
    count: round(w[3]!),
    intercept: round(w[4]!),
  };
  let n = 0;
  let k = 0;
  for (const { x, y } of data) {
    const z = calibration.intercept + x.reduce((s, xi, j) => s + [w[0]!, w[1]!, w[2]!, w[3]!][j]! * xi, 0);
    if (sigmoid(z) < CEILING_REGION) continue;
    n++;
    k += y;
  }
  return n === 0
    ? calibration
    : { ...calibration, ceiling: Math.floor(((k + 1) / (n + 2)) * 10_000) / 10_000 };
}

/** The confidence the engine reports for this evidence under `model`'s calibration. */
export function confidenceOf(model: HealingModel, e: Evidence): number {
  if (e.top === null) return 0;
  return calibratedConfidence(model, e.topLogit, e.secondLogit, {
    outsideGroupLogit: e.outsideGroupLogit,
    count: e.count,
  });
}

/** Lowest threshold (0.30–0.99) at which wrong heals over all examples stay within `maxWrong`. */
export function thresholdFor(
  decisions: readonly { confidence: number; right: boolean }[],
  maxWrong: number,
): number {
  for (let threshold = 0.3; threshold < 0.99; threshold += 0.01) {
    const wrong = decisions.filter((d) => d.confidence >= threshold && !d.right).length;
    if (wrong / Math.max(1, decisions.length) <= maxWrong) return Math.round(threshold * 100) / 100;
  }
  return 0.99;
}
