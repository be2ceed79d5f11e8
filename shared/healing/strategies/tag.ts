import { ACTIVATABLE_ROLES } from "../aria.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

const FORM_FIELDS = new Set(["input", "textarea", "select"]);

const explainTag: Explain = (target, candidate, score) =>
  score === 1
    ? `same tag ${candidate.tag}`
    : score > 0
      ? `${candidate.tag} can stand in for ${target.tag}`
      : `tag ${candidate.tag} ≠ ${target.tag}`;

/** Tag name, with partial credit for swaps that keep the purpose (button ↔ a, input ↔ textarea). */
export const tagStrategy: Strategy = {
  name: "tag",
  cost: "cheap",
  score(target, candidate) {
    if (target.tag === "" || target.tag === "*") return null;
    if (target.tag === candidate.tag) return verdict(1, explainTag, target, candidate);
    const bothActivatable =
      ACTIVATABLE_ROLES.has(target.role ?? "") && ACTIVATABLE_ROLES.has(candidate.role ?? "");
    const bothFields = FORM_FIELDS.has(target.tag) && FORM_FIELDS.has(candidate.tag);
    if (bothActivatable || bothFields) return verdict(0.5, explainTag, target, candidate);
    return verdict(0, explainTag, target, candidate);
  },
};
