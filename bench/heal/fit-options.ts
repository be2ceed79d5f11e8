/**
 * How the default model is fitted, shared by bench/fit-default-model.ts (the shipped fit) and the
 * benchmark's leave-one-site-out cross-validation (the same procedure with one site held out).
 */
import type { FitOptions } from "../../shared/healing/training.ts";

export type BenchFitOptions = FitOptions & { realRankingShare?: number; realCalibrationShare?: number };

export const FIT_OPTIONS: BenchFitOptions = {
  // Threshold rule on the cross-fitted (out-of-fold) confidences: out-of-site the wrong-heal budget
  // is 2 %; those confidences already carry what an unseen site does differently, so part of the
  // budget is kept in reserve. 1.25 % since the `keywords` strategy: at 1.5 % its fit lowered the
  // shipped threshold 0.92 → 0.90 and healed one more removed element in 80 on the generated split
  // (docs/heal-model.md); real pages teach no abstention, only generated ones do.
  maxWrongHealRate: 0.0125,
  // Real pages carry this share of the ranking fit's weight, in the shipped fit (279 real cases
  // against 720 generated) as in every cross-validation fold (259 against 240), so the
  // leave-one-site-out figures measure the shipped mix; one real case weighing one generated case
  // gave the folds 52 % and the shipped fit 28 %. Out of site 28 → 40 % moved healed-and-right
  // 72.4 → 75.3 %; more costs the generated split top-1 and abstention (docs/heal-model.md).
  realRankingShare: 0.4,
  // Two rounds of negative mining × 150 epochs: more moved no figure and costs every CV fold.
  epochs: 150,
  // The shared model is fitted from zero, not shrunk toward the model it replaces.
  prior: null,
  // Platt followed by an isotonic map fitted on the cross-fitted confidences (docs/heal-model.md).
  isotonic: true,
  // Real pages carry this share of the calibration data (decided apart from the ranking's), in
  // the shipped fit as in every cross-validation fold, so the figures measure the shipped mix.
  // More real share helps out of site but the generated test split's ECE passes 0.05 from 0.6 on
  // (docs/heal-model.md): generated cases are the ones that teach abstention.
  realCalibrationShare: 0.5,
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

/** Weights of a fit's examples, corpus cases first: 1 for each of those, `real` for each real case after them. */
export function weightsBySource(corpusCases: number, total: number, real: number): number[] {
  return Array.from({ length: total }, (_, i) => (i < corpusCases ? 1 : real));
}

/**
 * The weight of one real case (a generated one weighs 1) that gives real pages `share` of the
 * data whatever the corpus size, so the shipped fit and every cross-validation fold rank and
 * calibrate on the same mix; undefined without a share (one real case weighs one generated case).
 */
export function realShareWeight(
  corpusCases: number,
  realCases: number,
  share: number | undefined,
): number | undefined {
  if (share === undefined || realCases === 0 || corpusCases === 0) return undefined;
  return (share / (1 - share)) * (corpusCases / realCases);
}
