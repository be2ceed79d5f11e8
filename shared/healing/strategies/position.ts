import type { Strategy } from "./strategy.ts";

/** Where the element sits and how big it is: layouts move a little more often than a lot. */
export const positionStrategy: Strategy = {
  name: "position",
  cost: "cheap",
  score(target, candidate) {
    const a = target.rect;
    const b = candidate.rect;
    if (!a || !b) return null;
    const dx = a.x + a.width / 2 - (b.x + b.width / 2);
    const dy = a.y + a.height / 2 - (b.y + b.height / 2);
    const distance = Math.sqrt(dx * dx + dy * dy);
    const nearness = 1 / (1 + distance / 100);
    const areaA = a.width * a.height;
    const areaB = b.width * b.height;
    const area = areaA === 0 && areaB === 0 ? 1 : Math.min(areaA, areaB) / Math.max(areaA, areaB);
    const aspectA = (a.width + 1) / (a.height + 1);
    const aspectB = (b.width + 1) / (b.height + 1);
    const shape = Math.min(aspectA, aspectB) / Math.max(aspectA, aspectB);
    const score = 0.6 * nearness + 0.2 * area + 0.2 * shape;
    return { score, why: `${Math.round(distance)}px away, area ratio ${area.toFixed(2)}` };
  },
};
