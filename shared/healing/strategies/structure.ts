import { lcsLength } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

const explainStructure: Explain = (_target, _candidate, score) => `path similarity ${score.toFixed(2)}`;

/**
 * Root-to-node path similarity (Healenium's LCS idea): the tag path tolerates inserted wrappers,
 * the positional steps separate siblings. An equal id-anchored xpath is strong evidence.
 */
export const structureStrategy: Strategy = {
  name: "structure",
  cost: "expensive",
  score(target, candidate) {
    if (target.pathTags.length === 0 || candidate.pathTags.length === 0) return null;
    const length = target.pathTags.length + candidate.pathTags.length;
    const tags = (2 * lcsLength(target.pathTags, candidate.pathTags)) / length;
    const steps = (2 * lcsLength(target.pathSteps, candidate.pathSteps)) / length;
    let score = 0.5 * tags + 0.5 * steps;
    if (target.idXpath !== "" && target.idXpath === candidate.idXpath) score = Math.max(score, 0.95);
    return verdict(score, explainStructure, target, candidate);
  },
};
