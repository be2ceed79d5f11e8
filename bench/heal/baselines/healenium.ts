/**
 * Healenium-style baseline (not production code): LCS over the root-to-node tag path, then
 * tag / id / class / attribute / text heuristics, normalised and capped like Healenium's score cap.
 */
import { lcsLength } from "../../../shared/healing/similarity.ts";
import type { ElementDescriptor } from "../../../shared/healing/types.ts";

function pathTags(xpath: string | undefined): string[] {
  return (xpath ?? "")
    .split("/")
    .filter(Boolean)
    .map((step) => step.replace(/\[.*$/, ""));
}

export function healeniumScore(target: ElementDescriptor, candidate: ElementDescriptor): number {
  const a = pathTags(target.xpath);
  const b = pathTags(candidate.xpath);
  const path = a.length + b.length === 0 ? 0 : (2 * lcsLength(a, b)) / (a.length + b.length);
  const ta = target.attributes ?? {};
  const ca = candidate.attributes ?? {};
  let heuristics = 0;
  if (target.tag === candidate.tag) heuristics += 1;
  if (ta.id && ta.id === ca.id) heuristics += 1;
  const classesA = new Set((ta.class ?? "").split(/\s+/).filter(Boolean));
  const classesB = new Set((ca.class ?? "").split(/\s+/).filter(Boolean));
  let shared = 0;
  for (const token of classesA) if (classesB.has(token)) shared++;
  if (classesA.size > 0) heuristics += shared / Math.max(classesA.size, classesB.size);
  const otherKeys = Object.keys(ta).filter((key) => key !== "id" && key !== "class");
  if (otherKeys.length > 0)
    heuristics += otherKeys.filter((key) => ta[key] === ca[key]).length / otherKeys.length;
  if ((target.text ?? "") !== "" && target.text === candidate.text) heuristics += 1;
  return 0.5 * path + 0.5 * (heuristics / 5);
}

/** Healenium's default score cap: below it, no heal. */
export const HEALENIUM_SCORE_CAP = 0.5;
