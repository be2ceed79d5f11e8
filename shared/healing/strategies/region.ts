import type { PreparedElement } from "../prepare.ts";
import { jaccard } from "../similarity.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

const explainRegion: Explain = (target, candidate) =>
  `page regions ${[...candidate.regions].join("/") || "none"} vs ${[...target.regions].join("/") || "none"}`;

/**
 * The page region the element lives in (header, navigation, footer, form…), from landmark tags on
 * its path and region words in the id its xpath is anchored to. A redesign rewrites the markup
 * between the landmarks but rarely moves a control from the header to the footer, where menus
 * often repeat the same links (docs/heal-model.md).
 */
export const regionStrategy: Strategy = {
  name: "region",
  cost: "cheap",
  score(target: PreparedElement, candidate: PreparedElement) {
    if (target.regions.size === 0 || candidate.pathTags.length === 0) return null;
    return verdict(jaccard(target.regions, candidate.regions), explainRegion, target, candidate);
  },
};
