import { editSimilarity } from "../similarity.ts";
import { type Explain, Mean, type Strategy } from "./strategy.ts";

/** Edit similarity looks at 64 characters; an xpath's distinctive part is its end, not /html[1]/body[1]. */
const TAIL = 64;

function tail(xpath: string): string {
  return xpath.length > TAIL ? xpath.slice(-TAIL) : xpath;
}

const explainXpath: Explain = (_target, _candidate, score) => `xpath text similarity ${score.toFixed(2)}`;

/**
 * The xpaths compared as strings (edit similarity, as Similo does), the id-anchored one included:
 * the structure strategy compares steps, this one also sees sibling indices and id anchors that
 * differ by a character. Averaged over the forms the target has.
 */
export const xpathStrategy: Strategy = {
  name: "xpath",
  cost: "expensive",
  score(target, candidate) {
    const mean = new Mean();
    const wanted = target.descriptor.xpath;
    if (wanted) mean.add(editSimilarity(tail(wanted), tail(candidate.descriptor.xpath ?? ""), 0));
    if (target.idXpath !== "") mean.add(editSimilarity(tail(target.idXpath), tail(candidate.idXpath), 0));
    return mean.verdict(explainXpath, target, candidate);
  },
};
