import { editSimilarity, jaccard } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

/** Descriptive attributes compared as text; `type` is compared exactly. */
const TEXT_ATTRIBUTES = ["alt", "title", "placeholder", "value", "aria-label", "for", "src"] as const;

const explainAttributes: Explain = (target) => {
  let count = (target.classStems.size > 0 ? 1 : 0) + (target.hrefPath !== "" ? 1 : 0);
  if (target.attributes.type !== undefined) count++;
  for (const name of TEXT_ATTRIBUTES) if (target.attributes[name]) count++;
  return `${count} attribute(s) compared`;
};

/**
 * The remaining attribute set: class tokens by Jaccard over their stable stems (hashes dropped),
 * href by path, and the descriptive attributes. Averaged over what the target has.
 */
export const attributesStrategy: Strategy = {
  name: "attributes",
  cost: "cheap",
  score(target, candidate) {
    let total = 0;
    let count = 0;
    if (target.classStems.size > 0) {
      total += jaccard(target.classStems, candidate.classStems);
      count++;
    }
    if (target.hrefPath !== "") {
      total += candidate.hrefPath === "" ? 0 : editSimilarity(target.hrefPath, candidate.hrefPath);
      count++;
    }
    const wantedType = target.attributes.type;
    if (wantedType !== undefined) {
      total += (candidate.attributes.type ?? "").toLowerCase() === wantedType.toLowerCase() ? 1 : 0;
      count++;
    }
    for (const name of TEXT_ATTRIBUTES) {
      const wanted = target.attributes[name];
      if (wanted === undefined || wanted === "") continue;
      const found = candidate.attributes[name];
      total += found === undefined ? 0 : editSimilarity(wanted.toLowerCase(), found.toLowerCase());
      count++;
    }
    if (count === 0) return null;
    return verdict(total / count, explainAttributes, target, candidate);
  },
};
