import { identifierStem } from "../identifiers.ts";
import { editSimilarity } from "../similarity.ts";
import type { Strategy } from "./strategy.ts";

/** Test ids are written for tests and survive redesigns; a match is the strongest evidence there is. */
export const testIdStrategy: Strategy = {
  name: "testId",
  cost: "cheap",
  score(target, candidate) {
    const wanted = target.testId;
    if (!wanted) return null;
    const found = candidate.testId;
    if (!found) return { score: 0, why: `no test id (wanted ${wanted.name}="${wanted.value}")` };
    if (found.value === wanted.value) {
      const sameAttribute = found.name === wanted.name;
      return { score: sameAttribute ? 1 : 0.9, why: `${found.name}="${found.value}" matches` };
    }
    const a = wanted.value.toLowerCase();
    const b = found.value.toLowerCase();
    if (identifierStem(a) !== "" && identifierStem(a) === identifierStem(b)) {
      return { score: 0.8, why: `test id stem "${identifierStem(a)}" matches` };
    }
    return { score: 0.7 * editSimilarity(a, b), why: `test id "${found.value}" resembles "${wanted.value}"` };
  },
};
