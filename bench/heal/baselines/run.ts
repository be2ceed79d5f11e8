/** Runs a baseline scorer like the engine: best candidate, score as confidence, fixed threshold. */

import type { ElementDescriptor } from "../../../shared/healing/types.ts";
import { isHidden } from "../../../shared/healing/visibility.ts";

export type BaselineScorer = (target: ElementDescriptor, candidate: ElementDescriptor) => number;

export function runBaseline(
  score: BaselineScorer,
  target: ElementDescriptor,
  candidates: ElementDescriptor[],
) {
  let index: number | null = null;
  let best = Number.NEGATIVE_INFINITY;
  candidates.forEach((candidate, i) => {
    if (isHidden(candidate)) return;
    const value = score(target, candidate);
    if (value > best) [best, index] = [value, i];
  });
  return { index, confidence: index === null ? 0 : Math.max(0, Math.min(1, best)) };
}
