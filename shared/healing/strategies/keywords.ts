import type { PreparedElement } from "../prepare.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

const explainKeywords: Explain = (target, candidate) => {
  const shared = [...target.keywords].filter((word) => candidate.keywords.has(word));
  return `shares ${shared.length ? shared.join(", ") : "no"} naming words across id, class, text and href`;
};

/**
 * Purpose words shared across fields (docs/heal-model.md): the share of the target's words the
 * candidate carries anywhere. Not a symmetric overlap: a link whose class list adds words of its
 * own must not lose to the bare span inside it; the text strategy judges how specific a text is.
 */
export const keywordsStrategy: Strategy = {
  name: "keywords",
  cost: "cheap",
  score(target: PreparedElement, candidate: PreparedElement) {
    if (target.keywords.size === 0) return null;
    if (candidate.keywords.size === 0) return verdict(0, explainKeywords, target, candidate);
    let shared = 0;
    for (const word of target.keywords) if (candidate.keywords.has(word)) shared++;
    const score = shared / target.keywords.size;
    return verdict(score, explainKeywords, target, candidate);
  },
};
