/** Scores every candidate against the target and orders them by the model's logit. */
import { logit, type ScoreVector, scorePair } from "./model.ts";
import type { PreparedElement } from "./prepare.ts";
import { STRATEGIES } from "./strategies/index.ts";
import type { HealingModel } from "./types.ts";
import { sameVisual } from "./visual.ts";

export type RankedCandidate = { index: number; logit: number; scores: ScoreVector };

/**
 * Expensive strategies (path LCS, neighbour text) run only on the best candidates by cheap
 * evidence; this keeps a 10k-element page linear in the cheap part.
 */
export const SHORTLIST_SIZE = 100;

export function rankCandidates(
  model: HealingModel,
  target: PreparedElement,
  candidates: readonly PreparedElement[],
): RankedCandidate[] {
  let ranked: RankedCandidate[] = [];
  for (let index = 0; index < candidates.length; index++) {
    const candidate = candidates[index]!;
    if (candidate.hidden) continue;
    const scores: ScoreVector = new Array(STRATEGIES.length).fill(null);
    scorePair(target, candidate, scores, "cheap");
    ranked.push({ index, logit: logit(model, scores), scores });
  }
  if (ranked.length > SHORTLIST_SIZE) {
    ranked.sort(byLogit);
    ranked = ranked.slice(0, SHORTLIST_SIZE);
  }
  for (const entry of ranked) {
    scorePair(target, candidates[entry.index]!, entry.scores, "expensive");
    entry.logit = logit(model, entry.scores);
  }
  return ranked.sort(byLogit);
}

function byLogit(a: RankedCandidate, b: RankedCandidate): number {
  return b.logit - a.logit || a.index - b.index;
}

/**
 * The logit of the best-ranked candidate that is not the same visual element as the top one (null
 * when there is none): a link and the span inside it tying is no ambiguity to a person.
 */
export function outsideGroupLogit(
  ranked: readonly RankedCandidate[],
  candidates: readonly PreparedElement[],
): number | null {
  const top = ranked[0];
  if (!top) return null;
  const element = candidates[top.index]!;
  for (let i = 1; i < ranked.length; i++) {
    const entry = ranked[i]!;
    if (!sameVisual(element, candidates[entry.index]!)) return entry.logit;
  }
  return null;
}
