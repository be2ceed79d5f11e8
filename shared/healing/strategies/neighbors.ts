import type { PreparedText } from "../prepare.ts";
import { textSimilarity } from "../similarity.ts";
import { type Explain, Mean, type Strategy } from "./strategy.ts";

const SIDES = ["above", "below", "left", "right"] as const;

function similar(a: PreparedText, b: PreparedText): number {
  return textSimilarity(a.value, a.tokens, b.value, b.tokens);
}

const explainNeighbors: Explain = (target) =>
  `neighbour text on ${SIDES.filter((side) => target.neighbors[side].value !== "").length} side(s)`;

/** Text around the element (labels, row headers): it disambiguates repeated controls like "Delete". */
export const neighborsStrategy: Strategy = {
  name: "neighbors",
  cost: "expensive",
  score(target, candidate) {
    const mean = new Mean();
    for (const side of SIDES) {
      const wanted = target.neighbors[side];
      if (wanted.value !== "") mean.add(similar(wanted, candidate.neighbors[side]));
    }
    return mean.verdict(explainNeighbors, target, candidate);
  },
};
