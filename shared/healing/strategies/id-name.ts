import { MARKUP_WORDS } from "../keywords.ts";
import type { PreparedElement } from "../prepare.ts";
import { editSimilarity } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

/**
 * The identifier without the words that name markup: `search-button` and `menuButton` share only
 * "button", which says what they are, not what they are for.
 */
function purposePart(value: string): string {
  const words = value
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const kept = words.filter((word) => !MARKUP_WORDS.has(word));
  return (kept.length > 0 ? kept : words).join("-");
}

function compareIdentifier(wanted: string, wantedStem: string, found: string, foundStem: string): number {
  if (found === "") return 0;
  if (found === wanted) return 1;
  // A regenerated suffix (`btn-3f9a2` → `btn-77c01`) or CSS-module hash keeps the stem.
  if (wantedStem !== "" && wantedStem === foundStem) return 0.85;
  // The stem is a lower-cased prefix of the value; the value's own case keeps camelCase words apart.
  const a = purposePart(wantedStem ? wanted.trim().slice(0, wantedStem.length) : wanted);
  const b = purposePart(foundStem ? found.trim().slice(0, foundStem.length) : found);
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
