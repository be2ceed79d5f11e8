import { editSimilarity } from "../similarity.ts";
import type { Strategy } from "./strategy.ts";

function compareIdentifier(wanted: string, wantedStem: string, found: string, foundStem: string): number {
  if (found === "") return 0;
  if (found === wanted) return 1;
  // A regenerated suffix (`btn-3f9a2` → `btn-77c01`) or CSS-module hash keeps the stem.
  if (wantedStem !== "" && wantedStem === foundStem) return 0.85;
  const a = wantedStem || wanted.toLowerCase();
  const b = foundStem || found.toLowerCase();
  return 0.7 * editSimilarity(a, b);
}

/** id and name attributes: exact, same stable stem, or close by edit distance. */
export const idNameStrategy: Strategy = {
  name: "idName",
  cost: "cheap",
  score(target, candidate) {
    if (target.id === "" && target.name === "") return null;
    let best = 0;
    let why = "id/name differ";
    if (target.id !== "") {
      const score = compareIdentifier(target.id, target.idStem, candidate.id, candidate.idStem);
      if (score > best) [best, why] = [score, `id "${candidate.id}" ~ "${target.id}"`];
    }
    if (target.name !== "") {
      const score = compareIdentifier(target.name, target.nameStem, candidate.name, candidate.nameStem);
      if (score > best) [best, why] = [score, `name "${candidate.name}" ~ "${target.name}"`];
    }
    return { score: best, why };
  },
};
