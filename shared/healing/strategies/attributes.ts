import { editSimilarity, jaccard } from "../similarity.ts";
import { type Explain, Mean, type Strategy } from "./strategy.ts";

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
    const mean = new Mean();
    if (target.classStems.size > 0) mean.add(jaccard(target.classStems, candidate.classStems));
    if (target.hrefPath !== "") {
      mean.add(candidate.hrefPath === "" ? 0 : editSimilarity(target.hrefPath, candidate.hrefPath));
    }
    const wantedType = target.attributes.type;
    if (wantedType !== undefined) {
      mean.add((candidate.attributes.type ?? "").toLowerCase() === wantedType.toLowerCase() ? 1 : 0);
    }
    for (const name of TEXT_ATTRIBUTES) {
      const wanted = target.attributes[name];
      if (wanted === undefined || wanted === "") continue;
      const found = candidate.attributes[name];
      mean.add(found === undefined ? 0 : editSimilarity(wanted.toLowerCase(), found.toLowerCase()));
    }
    return mean.verdict(explainAttributes, target, candidate);
  },
};
