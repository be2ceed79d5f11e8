/**
 * How the default model is fitted, shared by bench/fit-default-model.ts (the shipped fit) and the
 * benchmark's leave-one-site-out cross-validation (the same procedure with one site held out).
 */
import type { FitOptions } from "../../shared/healing/training.ts";

export const FIT_OPTIONS: FitOptions & { realWeight: number } = {
  // Threshold rule on the cross-fitted (out-of-fold) confidences: out-of-site the wrong-heal budget
  // is 2 %; those confidences already carry what an unseen site does differently, so a quarter of
  // the budget is kept in reserve rather than half (docs/heal-model.md).
  maxWrongHealRate: 0.015,
  // A real page weighs as much as this many generated ones: 279 real cases against 720 generated.
  realWeight: 1,
  // Two rounds of negative mining × 150 epochs: more moved no figure and costs every CV fold.
  epochs: 150,
  // The shared model is fitted from zero, not shrunk toward the model it replaces.
  prior: null,
};

/** Generated cases in each cross-validation fold (the first of the train split): bounds bench time. */
export const LOSO_CORPUS_CASES = 240;

/** Folds of the cross-fitted calibration (FitOptions.calibrationFolds): one extra fit each. */
export const CALIBRATION_FOLDS = 4;

/**
 * The calibration fold of each example: generated cases round robin, real cases by site, so a
 * site's pages are always scored by weights fitted without that site (as a new site will be).
 */
export function calibrationFolds(corpusCases: number, realSites: readonly string[]): number[] {
  const order = [...new Set(realSites)];
  return [
    ...Array.from({ length: corpusCases }, (_, i) => i % CALIBRATION_FOLDS),
    ...realSites.map((site) => order.indexOf(site) % CALIBRATION_FOLDS),
  ];
}
