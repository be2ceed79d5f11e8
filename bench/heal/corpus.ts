/**
 * The healing corpus: generated old/new page pairs with one tracked target element and a known
 * change. Each case yields the candidates form (descriptors with rects) and the DOM form (HTML).
 */
import { parsePage } from "../../shared/healing/dom.ts";
import type { HealingExample } from "../../shared/healing/training.ts";
import type { ElementDescriptor, ElementRect } from "../../shared/healing/types.ts";
import { layout } from "./layout.ts";
import { CHANGE_TYPES, type ChangeType, mutate } from "./mutations.ts";
import { PageBuilder, page, randomStyle } from "./pages.ts";
import { seededRandom } from "./random.ts";
import { clone, type PageNode, toHtml, walk } from "./tree.ts";

export type HealCase = HealingExample & {
  kind: ChangeType;
  oldHtml: string;
  newHtml: string;
  /** Indexed xpath of the target in newHtml, null when removed. */
  expectedXpath: string | null;
  oldXpath: string;
};

const MARK = "data-bench-target";
const RECT = "data-bench-rect";
const TARGET_TAGS = /^(a|button|input|select|textarea|h[1-6]|td|li|img|span|label|p|article|th)$/;

type Described = { descriptors: ElementDescriptor[]; marked: number | null };

/** Parses marked HTML and returns clean descriptors (bench attributes removed) and the mark. */
function describeCase(root: PageNode, withRects: boolean): Described {
  const rects = withRects ? layout(root) : new Map<PageNode, ElementRect>();
  const html = toHtml(root, (node) => {
    const rect = rects.get(node);
    return rect ? { [RECT]: `${rect.x},${rect.y},${rect.width},${rect.height}` } : undefined;
  });
  const parsed = parsePage(html);
  let marked: number | null = null;
  const descriptors: ElementDescriptor[] = [];
  for (const entry of parsed.elements) {
    if (entry.hidden && !isHiddenItself(entry.descriptor)) continue; // the SDK reports what it can see
    const { [MARK]: mark, [RECT]: rect, ...attributes } = entry.descriptor.attributes ?? {};
    if (mark !== undefined) marked = descriptors.length;
    const descriptor: ElementDescriptor = { ...entry.descriptor, attributes };
    if (rect) {
      const [x, y, width, height] = rect.split(",").map(Number) as [number, number, number, number];
      descriptor.rect = { x, y, width, height };
    }
    descriptors.push(descriptor);
  }
  return { descriptors, marked };
}

function isHiddenItself(descriptor: ElementDescriptor): boolean {
  const a = descriptor.attributes ?? {};
  return (
    a.hidden !== undefined ||
    a["aria-hidden"] === "true" ||
    a.type === "hidden" ||
    /display:\s*none/.test(a.style ?? "")
  );
}

function findMarked(root: PageNode): PageNode | null {
  let found: PageNode | null = null;
  walk(root, (node) => {
    if (node.attrs[MARK] !== undefined) found = node;
  });
  return found;
}

function stripMark(root: PageNode): PageNode {
  const copy = clone(root);
  walk(copy, (node) => {
    delete node.attrs[MARK];
  });
  return copy;
}

export function generateCase(seed: number): HealCase {
  const random = seededRandom(seed);
  const builder = new PageBuilder(random, randomStyle(random));
  const oldRoot = page(builder);
  // Only visible elements are test targets: skip anything inside a hidden subtree.
  const hidden = new Set<PageNode>();
  walk(oldRoot, (node, parent) => {
    const hiddenHere =
      /display:\s*none/.test(node.attrs.style ?? "") ||
      node.attrs.type === "hidden" ||
      node.attrs["aria-hidden"] !== undefined;
    if (hiddenHere || (parent && hidden.has(parent))) hidden.add(node);
  });
  const eligible: PageNode[] = [];
  walk(oldRoot, (node) => {
    if (!hidden.has(node) && TARGET_TAGS.test(node.tag)) eligible.push(node);
  });
  // Interactive elements are what tests click; weight them up.
  const interactive = eligible.filter((node) => /^(a|button|input|select|textarea)$/.test(node.tag));
  const target =
    random.chance(0.75) && interactive.length > 0 ? random.pick(interactive) : random.pick(eligible);
  target.attrs[MARK] = "1";
  const kind = CHANGE_TYPES[seed % CHANGE_TYPES.length]!;
  const newRoot = clone(oldRoot);
  const newTarget = findMarked(newRoot)!;
  mutate(newRoot, newTarget, kind, builder);
  const withRects = random.chance(0.7);
  const before = describeCase(oldRoot, withRects);
  const after = describeCase(newRoot, withRects);
  if (kind !== "removed" && after.marked === null)
    throw new Error(`case ${seed}: target lost by a ${kind} change`);
  const removed = kind === "removed";
  const oldTarget = before.descriptors[before.marked ?? 0]!;
  return {
    kind,
    target: oldTarget,
    candidates: after.descriptors,
    correctIndex: removed ? null : after.marked,
    oldHtml: toHtml(stripMark(oldRoot)),
    newHtml: toHtml(stripMark(newRoot)),
    expectedXpath: removed || after.marked === null ? null : (after.descriptors[after.marked]!.xpath ?? null),
    oldXpath: oldTarget.xpath ?? "",
  };
}

/** Train and test use disjoint seeds, so no page appears in both. */
export function corpus(split: "train" | "test", size: number): HealCase[] {
  const offset = split === "train" ? 1 : 1_000_001;
  return Array.from({ length: size }, (_, i) => generateCase(offset + i));
}
