import { ACTIVATABLE_ROLES } from "../aria.ts";
import type { Strategy } from "./strategy.ts";

const FORM_FIELDS = new Set(["input", "textarea", "select"]);

/** Tag name, with partial credit for swaps that keep the purpose (button ↔ a, input ↔ textarea). */
export const tagStrategy: Strategy = {
  name: "tag",
  cost: "cheap",
  score(target, candidate) {
    if (target.tag === "" || target.tag === "*") return null;
    if (target.tag === candidate.tag) return { score: 1, why: `same tag ${candidate.tag}` };
    const bothActivatable =
      ACTIVATABLE_ROLES.has(target.role ?? "") && ACTIVATABLE_ROLES.has(candidate.role ?? "");
    const bothFields = FORM_FIELDS.has(target.tag) && FORM_FIELDS.has(candidate.tag);
    if (bothActivatable || bothFields)
      return { score: 0.5, why: `${candidate.tag} can stand in for ${target.tag}` };
    return { score: 0, why: `tag ${candidate.tag} ≠ ${target.tag}` };
  },
};
