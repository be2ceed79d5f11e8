import { identifierStem } from "../identifiers.ts";
import { editSimilarity } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

/** Test ids are written for tests and survive redesigns; a match is the strongest evidence there is. */
function looksHashed(suffix: string): boolean {
  return /[a-z]/.test(suffix) && /\d/.test(suffix);
}

/** Only a regenerated suffix scores this; an unrelated test id scores at most 0.3. */
const HASHED_SUFFIX_SCORE = 0.8;

const explainTestId: Explain = (target, candidate, score) => {
  const wanted = target.testId!;
  const found = candidate.testId;
  if (!found) return `no test id (wanted ${wanted.name}="${wanted.value}")`;
  if (found.value === wanted.value) return `${found.name}="${found.value}" matches`;
  if (score === HASHED_SUFFIX_SCORE)
    return `test id stem "${identifierStem(wanted.value.toLowerCase())}" matches`;
  return `test id "${found.value}" differs from "${wanted.value}"`;
};

export const testIdStrategy: Strategy = {
  name: "testId",
  cost: "cheap",
  score(target, candidate) {
    const wanted = target.testId;
    if (!wanted) return null;
    const found = candidate.testId;
    if (!found) return verdict(0, explainTestId, target, candidate);
    if (found.value === wanted.value) {
      const sameAttribute = found.name === wanted.name;
      return verdict(sameAttribute ? 1 : 0.9, explainTestId, target, candidate);
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
      return verdict(HASHED_SUFFIX_SCORE, explainTestId, target, candidate);
    }
    return verdict(0.3 * editSimilarity(a, b), explainTestId, target, candidate);
  },
};
