import type { ElementRect } from "../types.ts";
import { type Explain, type Strategy, verdict } from "./strategy.ts";

function distanceOf(a: ElementRect, b: ElementRect): number {
  const dx = a.x + a.width / 2 - (b.x + b.width / 2);
  const dy = a.y + a.height / 2 - (b.y + b.height / 2);
  return Math.sqrt(dx * dx + dy * dy);
}

function areaRatio(a: ElementRect, b: ElementRect): number {
  const areaA = a.width * a.height;
  const areaB = b.width * b.height;
  return areaA === 0 && areaB === 0 ? 1 : Math.min(areaA, areaB) / Math.max(areaA, areaB);
}

const explainPosition: Explain = (target, candidate) => {
  const a = target.rect!;
  const b = candidate.rect!;
  return `${Math.round(distanceOf(a, b))}px away, area ratio ${areaRatio(a, b).toFixed(2)}`;
};

/** Where the element sits and how big it is: layouts move a little more often than a lot. */
export const positionStrategy: Strategy = {
  name: "position",
  cost: "cheap",
  score(target, candidate) {
    const a = target.rect;
    const b = candidate.rect;
    if (!a || !b) return null;
    const nearness = 1 / (1 + distanceOf(a, b) / 100);
    const area = areaRatio(a, b);
    const aspectA = (a.width + 1) / (a.height + 1);
    const aspectB = (b.width + 1) / (b.height + 1);
    const shape = Math.min(aspectA, aspectB) / Math.max(aspectA, aspectB);
    const score = 0.6 * nearness + 0.2 * area + 0.2 * shape;
    return verdict(score, explainPosition, target, candidate);
  },
};
