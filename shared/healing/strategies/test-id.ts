import { identifierStem } from "../identifiers.ts";
import { editSimilarity } from "../similarity.ts";
import type { Strategy } from "./strategy.ts";

/** Test ids are written for tests and survive redesigns; a match is the strongest evidence there is. */
function looksHashed(suffix: string): boolean {
  return /[a-z]/.test(suffix) && /\d/.test(suffix);
}

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
    // A different test id usually names a different element (`delete-row-17` vs `delete-row-18`);
    // only a regenerated, hash-like suffix is forgiven.
    const a = wanted.value.toLowerCase();
    const b = found.value.toLowerCase();
    const stem = identifierStem(a);
    if (
      stem !== "" &&
      stem === identifierStem(b) &&
      looksHashed(a.slice(stem.length)) &&
      looksHashed(b.slice(stem.length))
    ) {
      return { score: 0.8, why: `test id stem "${stem}" matches` };
    }
    return {
      score: 0.3 * editSimilarity(a, b),
      why: `test id "${found.value}" differs from "${wanted.value}"`,
    };
  },
};
