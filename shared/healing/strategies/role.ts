import { ACTIVATABLE_ROLES } from "../aria.ts";
import { textSimilarity } from "../similarity.ts";
import type { Strategy } from "./strategy.ts";

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
    if (wantedName.value === "") {
      return { score: roleScore ?? 0, why: `role ${candidate.role ?? "none"} vs ${target.role}` };
    }
    const found = candidate.accessibleName;
    const nameScore = textSimilarity(wantedName.value, wantedName.tokens, found.value, found.tokens);
    const score = roleScore === null ? nameScore : 0.4 * roleScore + 0.6 * nameScore;
    return {
      score,
      why: `${candidate.role ?? "no role"} "${found.value}" vs ${target.role ?? "?"} "${wantedName.value}"`,
    };
  },
};
