/**
 * Leave-one-site-out cross-validation: for each real site, a model is fitted on the generated corpus
 * plus the other sites and judged on the held-out one, so the figures say how the fit transfers to
 * a site it has never seen (what the unseen sites of the same study will ask of it).
 */
import {
  type FitOptions,
  fitFromPages,
  type HealOutcome,
  outcomeOnPage,
  type RegimePages,
} from "../../shared/healing/training.ts";
import type { HealingModel } from "../../shared/healing/types.ts";
import { calibrationFolds, realCalibrationWeight, weightsBySource } from "./fit-options.ts";

export function concatPages(a: RegimePages, b: RegimePages): RegimePages {
  return {
    main: [...a.main, ...b.main],
    noRect: [...a.noRect, ...b.noRect],
    usesNoRect: [...a.usesNoRect, ...b.usesNoRect],
  };
}

/** The engine's outcome on page i of `pages` under `model` (regime chosen as modelFor does). */
export function replayOutcome(model: HealingModel, pages: RegimePages, i: number): HealOutcome {
  const noRect = pages.usesNoRect[i] && model.noRect !== undefined;
  const regime = noRect ? { ...model, ...model.noRect } : model;
  // The no-rect variant has no threshold of its own: the regime keeps the model's.
  return outcomeOnPage(regime, (noRect ? pages.noRect : pages.main)[i]!);
}

/**
 * `sites[i]` names the site of real page i (pages after the corpus ones). Returns the held-out
 * outcomes per site, each fold's threshold and its model (to replay the engine with more, e.g. AI).
 */
export function leaveOneSiteOut(
  corpusPages: RegimePages,
  realPages: RegimePages,
  sites: readonly string[],
  options: FitOptions & { realWeight?: number; realCalibrationShare?: number },
  only?: readonly string[],
): Map<string, { outcomes: HealOutcome[]; threshold: number; model: HealingModel }> {
  const all = concatPages(corpusPages, realPages);
  const offset = corpusPages.main.length;
  const exampleWeights = weightsBySource(offset, all.main.length, options.realWeight ?? 1);
  const folds = calibrationFolds(offset, sites);
  const result = new Map<string, { outcomes: HealOutcome[]; threshold: number; model: HealingModel }>();
  for (const site of new Set(sites)) {
    if (only && !only.includes(site)) continue;
    const keep = (i: number) => i < offset || sites[i - offset] !== site;
    // The real share counts the sites this fold is fitted on, as the shipped fit counts all.
    const realCases = sites.filter((s) => s !== site).length;
    const real = realCalibrationWeight(offset, realCases, options.realCalibrationShare);
    const calibration = real === undefined ? undefined : weightsBySource(offset, all.main.length, real);
    const model = fitFromPages(
      all,
      { ...options, exampleWeights, calibrationFolds: folds, calibrationWeights: calibration },
      keep,
    );
    const outcomes: HealOutcome[] = [];
    sites.forEach((s, k) => {
      if (s === site) outcomes.push(replayOutcome(model, all, offset + k));
    });
    result.set(site, { outcomes, threshold: model.threshold, model });
  }
  return result;
}
