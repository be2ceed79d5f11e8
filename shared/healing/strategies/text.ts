import { textSimilarity } from "../similarity.ts";
import type { Strategy } from "./strategy.ts";

/** Visible text, whitespace-collapsed and lower-cased: token overlap and edit similarity. */
export const textStrategy: Strategy = {
  name: "text",
  cost: "cheap",
  score(target, candidate) {
    const wanted = target.text;
    if (wanted.value === "") return null;
    const found = candidate.text;
    if (found.value === "") return { score: 0, why: "candidate has no text" };
    const score = textSimilarity(wanted.value, wanted.tokens, found.value, found.tokens);
    return { score, why: `text "${found.value.slice(0, 40)}" vs "${wanted.value.slice(0, 40)}"` };
  },
};
