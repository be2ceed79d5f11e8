import { textSimilarity } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

const explainText: Explain = (target, candidate) =>
  candidate.text.value === ""
    ? "candidate has no text"
    : `text "${candidate.text.value.slice(0, 40)}" vs "${target.text.value.slice(0, 40)}"`;

/** Visible text, whitespace-collapsed and lower-cased: token overlap and edit similarity. */
export const textStrategy: Strategy = {
  name: "text",
  cost: "cheap",
  score(target, candidate) {
    const wanted = target.text;
    if (wanted.value === "") return null;
    const found = candidate.text;
    if (found.value === "") return verdict(0, explainText, target, candidate);
    const score = textSimilarity(wanted.value, wanted.tokens, found.value, found.tokens);
    return verdict(score, explainText, target, candidate);
  },
};
