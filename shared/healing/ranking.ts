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
    ranked = cutAtShortlist(ranked, target, candidates);
  }
  for (const entry of ranked) {
    scorePair(target, candidates[entry.index]!, entry.scores, "expensive");
    entry.logit = logit(model, entry.scores);
  }
  return ranked.sort(byLogit);
}

/**
 * The best SHORTLIST_SIZE by cheap evidence. Look-alikes tied at the cut (a page of hundreds of
 * identical `<string>` type links) are kept by how long a start of the target's xpath they share,
 * then in document order: by document order alone, a target late on the page was cut before the
 * strategies that tell look-alikes apart (structure, xpath, neighbours) ever saw it.
 */
function cutAtShortlist(
  sorted: RankedCandidate[],
  target: PreparedElement,
  candidates: readonly PreparedElement[],
): RankedCandidate[] {
  const edge = sorted[SHORTLIST_SIZE - 1]!.logit;
  const xpath = target.descriptor.xpath;
  if (!xpath || sorted[SHORTLIST_SIZE]!.logit !== edge) return sorted.slice(0, SHORTLIST_SIZE);
  let first = SHORTLIST_SIZE - 1;
  while (first > 0 && sorted[first - 1]!.logit === edge) first--;
  let end = SHORTLIST_SIZE;
  while (end < sorted.length && sorted[end]!.logit === edge) end++;
  const shared = new Map<RankedCandidate, number>();
  for (let k = first; k < end; k++)
    shared.set(sorted[k]!, sharedPrefix(xpath, candidates[sorted[k]!.index]!.descriptor.xpath ?? ""));
  const tied = sorted.slice(first, end).sort((a, b) => shared.get(b)! - shared.get(a)! || a.index - b.index);
  return sorted.slice(0, first).concat(tied.slice(0, SHORTLIST_SIZE - first));
}

function sharedPrefix(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let k = 0;
  while (k < length && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  return k;
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
