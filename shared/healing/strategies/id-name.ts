import type { PreparedElement } from "../prepare.ts";
import { editSimilarity } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

/** The prepared fields of an id or a name: its value, stable stem and purpose words (prepare.ts). */
const FIELDS = {
  id: { value: "id", stem: "idStem", purpose: "idPurpose" },
  name: { value: "name", stem: "nameStem", purpose: "namePurpose" },
} as const;

function compareIdentifier(
  target: PreparedElement,
  candidate: PreparedElement,
  kind: keyof typeof FIELDS,
): number {
  const { value, stem, purpose } = FIELDS[kind];
  if (target[value] === "" || candidate[value] === "") return 0;
  if (candidate[value] === target[value]) return 1;
  // A regenerated suffix (`btn-3f9a2` → `btn-77c01`) or CSS-module hash keeps the stem.
  if (target[stem] !== "" && target[stem] === candidate[stem]) return 0.85;
  // Edit distance on what the identifiers name, markup words set aside; an id of punctuation
  // alone names nothing, and two empty purposes are not evidence of anything.
  if (target[purpose] === "" || candidate[purpose] === "") return 0;
  return 0.7 * editSimilarity(target[purpose], candidate[purpose]);
}

const idScore = (target: PreparedElement, candidate: PreparedElement) =>
  compareIdentifier(target, candidate, "id");
const nameScore = (target: PreparedElement, candidate: PreparedElement) =>
  compareIdentifier(target, candidate, "name");

const explainIdName: Explain = (target, candidate) => {
  const byId = idScore(target, candidate);
  const byName = nameScore(target, candidate);
  if (byId > 0 && byId >= byName) return `id "${candidate.id}" ~ "${target.id}"`;
  if (byName > 0) return `name "${candidate.name}" ~ "${target.name}"`;
  return "id/name differ";
};

/** id and name attributes: exact, same stable stem, or close by edit distance of their purpose words. */
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
