/**
 * VON-Similo-style baseline (not production code): Similo's similarity, then visually overlapping
 * candidates (rectangles that coincide or nest; without layout, an ancestor and descendant showing
 * the same text) merged into one visual element whose score is its best member's. The located
 * visual element is right when it contains the answer (real-report.ts counts that from `visualGroups`);
 * its best member is the exact pick.
 */
import { prepareElement } from "../../../shared/healing/prepare.ts";
import type { ElementDescriptor } from "../../../shared/healing/types.ts";
import { isHidden } from "../../../shared/healing/visibility.ts";
import { sameVisual } from "../../../shared/healing/visual.ts";
import { similoScore } from "./similo.ts";

export type VonResult = { index: number | null; confidence: number };

/** Visual groups of the candidates (union-find over pairwise overlap). */
export function visualGroups(candidates: readonly ElementDescriptor[]): number[] {
  const prepared = candidates.map(prepareElement);
  const parent = prepared.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let i = 0; i < prepared.length; i++)
    for (let j = i + 1; j < prepared.length; j++)
      if (sameVisual(prepared[i]!, prepared[j]!)) parent[find(i)] = find(j);
  return prepared.map((_, i) => find(i));
}

export function runVonSimilo(
  target: ElementDescriptor,
  candidates: readonly ElementDescriptor[],
  groups: readonly number[],
): VonResult {
  const best = new Map<number, { index: number; score: number }>();
  candidates.forEach((candidate, i) => {
    if (isHidden(candidate)) return;
    const score = similoScore(target, candidate);
    const group = groups[i]!;
    const known = best.get(group);
    if (!known || score > known.score) best.set(group, { index: i, score });
  });
  let top: { index: number; score: number } | null = null;
  for (const entry of best.values()) if (!top || entry.score > top.score) top = entry;
  if (!top) return { index: null, confidence: 0 };
  return { index: top.index, confidence: Math.max(0, Math.min(1, top.score)) };
}
