/**
 * Visual overlap and nesting (the VON idea): a link, the span inside it and the list item around it
 * often cover the same pixels and say the same thing. They are one visual element to a person, so
 * the engine treats them as one group when judging how ambiguous its answer is.
 */
import type { PreparedElement } from "./prepare.ts";
import type { ElementRect } from "./types.ts";

function area(rect: ElementRect): number {
  return Math.max(0, rect.width) * Math.max(0, rect.height);
}

function intersection(a: ElementRect, b: ElementRect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/** Intersection over union of two rectangles (0 when either is empty). */
export function rectIou(a: ElementRect, b: ElementRect): number {
  const shared = intersection(a, b);
  const union = area(a) + area(b) - shared;
  return union > 0 ? shared / union : 0;
}

/** Containment and size ratio above which two rectangles are one visual element. */
const NESTED = 0.9;
const MIN_AREA_RATIO = 0.25;

function rectsCoincide(a: ElementRect, b: ElementRect): boolean {
  const areaA = area(a);
  const areaB = area(b);
  if (areaA === 0 || areaB === 0) return false;
  const smaller = Math.min(areaA, areaB);
  return intersection(a, b) / smaller >= NESTED && smaller / Math.max(areaA, areaB) >= MIN_AREA_RATIO;
}

function isAncestorPath(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || a.length >= b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether two candidates are one visual element: rectangles that coincide or nest when both have
 * layout; without layout, an ancestor and descendant that show the same text (a > span "Sign in").
 */
export function sameVisual(a: PreparedElement, b: PreparedElement): boolean {
  if (a.rect && b.rect) return rectsCoincide(a.rect, b.rect);
  if (a.text.value === "" || a.text.value !== b.text.value) return false;
  return isAncestorPath(a.pathSteps, b.pathSteps) || isAncestorPath(b.pathSteps, a.pathSteps);
}
