/**
 * The flat arrays a parsed page is made of (page-builder.ts writes them, dom.ts reads them): every
 * node's name or text, parent, first child and siblings in typed arrays, attributes as one range
 * of two per-page arrays, and the per-candidate facts the shortlist needs. Also the indexed-xpath
 * steps a stored selector is followed by while the page is built.
 */
/** The steps of an absolute indexed xpath: element name (lower case) and 1-based position. */
export type IndexedPath = readonly { name: string; position: number }[];

const INDEXED_PATH = /^(?:\/[a-zA-Z][\w-]*\[[1-9]\d*\])+$/;

/** The steps of `selector` when it is an absolute indexed xpath (`xpath=` allowed), else null. */
export function indexedPathOf(selector: string): IndexedPath | null {
  const source = selector.trim().replace(/^xpath=/, "");
  if (!INDEXED_PATH.test(source)) return null;
  return source
    .slice(1)
    .split("/")
    .map((step) => {
      const bracket = step.indexOf("[");
      return { name: step.slice(0, bracket).toLowerCase(), position: Number(step.slice(bracket + 1, -1)) };
    });
}

/** No node: the document (as a parent) or the end of a sibling list. */
export const NONE = -1;

/** The nodes of a page, by node id (document order; elements and texts share the numbering). */
export type PageNodes = {
  count: number;
  /** Element: tag name as the parser gives it; text: its data (entities decoded). */
  names: string[];
  /** 1 for a text node. */
  isText: Uint8Array;
  parent: Int32Array;
  firstChild: Int32Array;
  next: Int32Array;
  prev: Int32Array;
  /** First child of the document. */
  rootFirst: number;
  /** Element: its attributes are attrNames/attrValues[attrStart, attrStart + attrCount). */
  attrStart: Int32Array;
  attrCount: Int32Array;
  attrNames: string[];
  attrValues: string[];
  /** Candidate index of an element, or -1. */
  index: Int32Array;
  /** 1-based position among same-name element siblings once computed (dom.ts positionOf), else 0. */
  position: Int32Array;
};

export type BuiltPage = {
  nodes: PageNodes;
  /** Per candidate: its node, lower-case tag, whether hidden, depth, nearest candidate ancestor. */
  nodeOf: Int32Array;
  tags: string[];
  hiddenFlags: Uint8Array;
  depth: Int32Array;
  parentIndex: Int32Array;
  texts: string[];
  textStart: Int32Array;
  textEnd: Int32Array;
  /** `<label for>` value → the last such label's candidate index. */
  labelFor: Map<string, number>;
  /** Node ids of the `<style>` elements (style-visibility.ts reads their rules). */
  styleNodes: number[];
};

/** Attribute `name` of element node `id`, read from the page's arrays. */
export function nodeAttribute(nodes: PageNodes, id: number, name: string): string | undefined {
  const { attrNames, attrValues } = nodes;
  const start = nodes.attrStart[id]!;
  const end = start + nodes.attrCount[id]!;
  for (let k = start; k < end; k++) if (attrNames[k] === name) return attrValues[k];
  return undefined;
}

function grownTo<T extends Uint8Array | Int32Array>(from: T, size: number): T {
  const to = new (from.constructor as new (size: number) => T)(size);
  to.set(from);
  return to;
}

/** Doubles the typed arrays `keys` of `owner` (a page with more elements than its start tags announced). */
export function grow<K extends string>(owner: Record<K, Uint8Array | Int32Array>, keys: readonly K[]): void {
  const size = Math.max(64, owner[keys[0]!].length * 2);
  for (const key of keys) owner[key] = grownTo(owner[key], size);
}
export const CANDIDATE_ARRAYS = [
  "nodeOf",
  "hiddenFlags",
  "depth",
  "parentIndex",
  "textStart",
  "textEnd",
] as const;
export const NODE_ARRAYS = [
  "isText",
  "parent",
  "firstChild",
  "next",
  "prev",
  "attrStart",
  "attrCount",
  "index",
] as const;

const ATTRIBUTES_PER_ELEMENT = 3;

/** Attributes of one element up to which duplicates are found by a scan (beyond: a set). */
export const SCANNED_ATTRIBUTES = 8;

/** The page's arrays, sized from `capacity` (the expected number of elements) so they are rarely grown. */
export function allocate(capacity: number): BuiltPage {
  // Texts sit between tags: a page has at most about as many text nodes as elements, plus one.
  const nodeCapacity = 2 * capacity + 16;
  const nodes: PageNodes = {
    count: 0,
    names: new Array(nodeCapacity),
    isText: new Uint8Array(nodeCapacity),
    parent: new Int32Array(nodeCapacity),
    firstChild: new Int32Array(nodeCapacity),
    next: new Int32Array(nodeCapacity),
    prev: new Int32Array(nodeCapacity),
    rootFirst: NONE,
    attrStart: new Int32Array(nodeCapacity),
    attrCount: new Int32Array(nodeCapacity),
    // Pages carry some three attributes per element: sized once (grown by assignment, each array
    // was reallocated a dozen times), trimmed at the end.
    attrNames: new Array(ATTRIBUTES_PER_ELEMENT * capacity + 16),
    attrValues: new Array(ATTRIBUTES_PER_ELEMENT * capacity + 16),
    index: new Int32Array(nodeCapacity),
    position: new Int32Array(0),
  };
  // Most elements hold at most one text node: texts are sized like the candidates.
  return {
    nodes,
    nodeOf: new Int32Array(capacity),
    tags: new Array(capacity),
    hiddenFlags: new Uint8Array(capacity),
    depth: new Int32Array(capacity),
    parentIndex: new Int32Array(capacity),
    texts: new Array(capacity),
    textStart: new Int32Array(capacity),
    textEnd: new Int32Array(capacity),
    labelFor: new Map(),
    styleNodes: [],
  };
}

/** Same name and attributes (the HTML standard's test for its three-equal-formatting-elements limit). */
export function sameElement(nodes: PageNodes, a: number, b: number): boolean {
  const count = nodes.attrCount[a]!;
  if (nodes.names[a] !== nodes.names[b] || count !== nodes.attrCount[b]) return false;
  const from = nodes.attrStart[a]!;
  const to = nodes.attrStart[b]!;
  for (let k = 0; k < count; k++) {
    const name = nodes.attrNames[from + k]!;
    let found = false;
    for (let j = 0; j < count && !found; j++)
      found = nodes.attrNames[to + j] === name && nodes.attrValues[to + j] === nodes.attrValues[from + k];
    if (!found) return false;
  }
  return true;
}
