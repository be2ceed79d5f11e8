/**
 * How the default model is fitted, shared by bench/fit-default-model.ts (the shipped fit) and the
 * benchmark's leave-one-site-out cross-validation (the same procedure with one site held out).
 */
import type { FitOptions } from "../../shared/healing/training.ts";

export const FIT_OPTIONS: FitOptions & { realWeight: number; realCalibrationShare?: number } = {
  // Threshold rule on the cross-fitted (out-of-fold) confidences: out-of-site the wrong-heal budget
  // is 2 %; those confidences already carry what an unseen site does differently, so part of the
  // budget is kept in reserve. 1.25 % since the `keywords` strategy: at 1.5 % its fit lowered the
  // shipped threshold 0.92 → 0.90 and healed one more removed element in 80 on the generated split
  // (docs/heal-model.md); real pages teach no abstention, only generated ones do.
  maxWrongHealRate: 0.0125,
  // A real page weighs as much as this many generated ones: 279 real cases against 720 generated
  // in the shipped fit, 259 against the same 720 in a cross-validation fold. More real weight moved
  // the out-of-site figures by a case or two and cost the generated split (docs/heal-model.md).
  realWeight: 1,
  // Two rounds of negative mining × 150 epochs: more moved no figure and costs every CV fold.
  epochs: 150,
  // The shared model is fitted from zero, not shrunk toward the model it replaces.
  prior: null,
  // Platt followed by an isotonic map fitted on the cross-fitted confidences (docs/heal-model.md).
  isotonic: true,
  // Real pages carry this share of the calibration data (the ranking fit keeps realWeight), in
  // the shipped fit as in every cross-validation fold, so the figures measure the shipped mix.
  // More real share helps out of site but the generated test split's ECE passes 0.05 from 0.6 on
  // (docs/heal-model.md): generated cases are the ones that teach abstention.
  realCalibrationShare: 0.5,
};

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
 * The calibration weight of one real case (a generated one weighs 1) that gives real pages `share`
 * of the calibration data whatever the corpus size, so the shipped fit and every cross-validation
 * fold calibrate on the same mix; undefined without a share (the fit's own example weights).
 */
export function realCalibrationWeight(
  corpusCases: number,
  realCases: number,
  share: number | undefined,
): number | undefined {
  if (share === undefined || realCases === 0 || corpusCases === 0) return undefined;
  return (share / (1 - share)) * (corpusCases / realCases);
}
