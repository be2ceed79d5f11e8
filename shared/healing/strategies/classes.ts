import { jaccard } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

const explainClasses: Explain = (target, candidate) =>
  `${[...target.classStems].filter((stem) => candidate.classStems.has(stem)).length} class stem(s) shared`;

/**
 * Class stems (hashes dropped) on their own: the attributes strategy averages them with other
 * attributes, which dilutes the one signal design systems keep stable across a redesign.
 */
export const classesStrategy: Strategy = {
  name: "classes",
  cost: "cheap",
  score(target, candidate) {
    if (target.classStems.size === 0) return null;
    return verdict(jaccard(target.classStems, candidate.classStems), explainClasses, target, candidate);
  },
};
