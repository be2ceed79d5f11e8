import type { PreparedText } from "../prepare.ts";
import { textSimilarity } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

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
    let total = 0;
    let count = 0;
    for (const side of SIDES) {
      const wanted = target.neighbors[side];
      if (wanted.value === "") continue;
      total += similar(wanted, candidate.neighbors[side]);
      count++;
    }
    if (count === 0) return null;
    return verdict(total / count, explainNeighbors, target, candidate);
  },
};
