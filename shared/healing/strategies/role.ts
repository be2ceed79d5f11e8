import { ACTIVATABLE_ROLES } from "../aria.ts";
import { textSimilarity } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

const explainRole: Explain = (target, candidate) =>
  target.accessibleName.value === ""
    ? `role ${candidate.role ?? "none"} vs ${target.role}`
    : `${candidate.role ?? "no role"} "${candidate.accessibleName.value}" vs ${target.role ?? "?"} "${target.accessibleName.value}"`;

/** ARIA role and accessible name: what a user (and getByRole) perceives, independent of markup. */
export const roleStrategy: Strategy = {
  name: "role",
  cost: "cheap",
  score(target, candidate) {
    const wantedName = target.accessibleName;
    if (!target.role && wantedName.value === "") return null;
    let roleScore: number | null = null;
    if (target.role) {
      if (target.role === candidate.role) roleScore = 1;
      else if (ACTIVATABLE_ROLES.has(target.role) && ACTIVATABLE_ROLES.has(candidate.role ?? ""))
        roleScore = 0.6;
      else roleScore = 0;
    }
    if (wantedName.value === "") return verdict(roleScore ?? 0, explainRole, target, candidate);
    const found = candidate.accessibleName;
    const nameScore = textSimilarity(wantedName.value, wantedName.tokens, found.value, found.tokens);
    const score = roleScore === null ? nameScore : 0.4 * roleScore + 0.6 * nameScore;
    return verdict(score, explainRole, target, candidate);
  },
};
