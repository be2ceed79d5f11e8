/**
 * How the default model is fitted, shared by bench/fit-default-model.ts (the shipped fit) and the
 * benchmark's leave-one-site-out cross-validation (the same procedure with one site held out).
 */
import type { FitOptions } from "../../shared/healing/training.ts";

export const FIT_OPTIONS: FitOptions & { realWeight: number } = {
  // Threshold rule on the training data; out-of-site the wrong-heal budget is 2 %, so the fit keeps
  // half of it in reserve for what a new site does differently.
  maxWrongHealRate: 0.01,
  // A real page weighs as much as this many generated ones: 279 real cases against 720 generated.
  realWeight: 1,
  // Two rounds of negative mining × 150 epochs: more moved no figure and costs every CV fold.
  epochs: 150,
  // The shared model is fitted from zero, not shrunk toward the model it replaces.
  prior: null,
};

/** Generated cases in each cross-validation fold (the first of the train split): bounds bench time. */
export const LOSO_CORPUS_CASES = 240;
