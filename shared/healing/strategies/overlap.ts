import { rectIou } from "../visual.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

const explainOverlap: Explain = (_target, _candidate, score) =>
  `covers ${Math.round(score * 100)}% of the old area`;

/**
 * How much of the old element's screen area the candidate covers (intersection over union): on
 * real pages a redesign often keeps a control where it was while its markup changes entirely.
 */
export const overlapStrategy: Strategy = {
  name: "overlap",
  cost: "cheap",
  score(target, candidate) {
    if (!target.rect || !candidate.rect) return null;
    return verdict(rectIou(target.rect, candidate.rect), explainOverlap, target, candidate);
  },
};
