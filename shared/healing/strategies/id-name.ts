import type { PreparedElement } from "../prepare.ts";
import { editSimilarity } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

function compareIdentifier(wanted: string, wantedStem: string, found: string, foundStem: string): number {
  if (found === "") return 0;
  if (found === wanted) return 1;
  // A regenerated suffix (`btn-3f9a2` → `btn-77c01`) or CSS-module hash keeps the stem.
  if (wantedStem !== "" && wantedStem === foundStem) return 0.85;
  const a = wantedStem || wanted.toLowerCase();
  const b = foundStem || found.toLowerCase();
  return 0.7 * editSimilarity(a, b);
}

function idScore(target: PreparedElement, candidate: PreparedElement): number {
  return target.id === "" ? 0 : compareIdentifier(target.id, target.idStem, candidate.id, candidate.idStem);
}

function nameScore(target: PreparedElement, candidate: PreparedElement): number {
  return target.name === ""
    ? 0
    : compareIdentifier(target.name, target.nameStem, candidate.name, candidate.nameStem);
}

const explainIdName: Explain = (target, candidate) => {
  const byId = idScore(target, candidate);
  const byName = nameScore(target, candidate);
  if (byId > 0 && byId >= byName) return `id "${candidate.id}" ~ "${target.id}"`;
  if (byName > 0) return `name "${candidate.name}" ~ "${target.name}"`;
  return "id/name differ";
};

/** id and name attributes: exact, same stable stem, or close by edit distance. */
export const idNameStrategy: Strategy = {
  name: "idName",
  cost: "cheap",
  score(target, candidate) {
    if (target.id === "" && target.name === "") return null;
    const byId = idScore(target, candidate);
    const byName = nameScore(target, candidate);
    return verdict(Math.max(0, byId, byName), explainIdName, target, candidate);
  },
};
