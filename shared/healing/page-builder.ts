/**
 * Builds a parsed page (dom.ts ParsedPage) in htmlparser2's tokenizer callbacks, as flat arrays:
 * no object per element, attribute set, children list or text node. Every node (element or text,
 * numbered in document order) has its name or text, parent, first child and siblings in typed
 * arrays; attributes are one range of two per-page arrays (names, values). In the same pass the
 * per-element facts the shortlist needs are recorded per candidate (tag, parent, hidden, depth, the
 * span of visible text nodes it covers). Nothing walks the page again; a domhandler-shaped tree is
 * built from the arrays only when css-select or the xpath evaluator needs one (page-tree.ts).
 * Why: a parsed page lives through the whole heal, so every young-generation GC that falls inside it
 * copies the page's objects (docs/heal-model.md "Cost of the DOM form").
 */
import { decodeHTML, decodeHTMLAttribute } from "entities";
import { inRawText, NON_SPACE, NOT_CANDIDATES, SKIPPED } from "./dom-nodes.ts";
import { checkElement } from "./limits.ts";
import { PageParser } from "./page-parser.ts";
import { isHiddenBy } from "./visibility.ts";

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
  /** Whether an html or body element sits inside a candidate (its texts are listed, yet it is none). */
  nestedRoot: boolean;
};

function grownTo<T extends Uint8Array | Int32Array>(from: T, size: number): T {
  const to = new (from.constructor as new (size: number) => T)(size);
  to.set(from);
  return to;
}

/** Doubles the typed arrays `keys` of `owner` (a page with more elements than its start tags announced). */
function grow<K extends string>(owner: Record<K, Uint8Array | Int32Array>, keys: readonly K[]): void {
  const size = Math.max(64, owner[keys[0]!].length * 2);
  for (const key of keys) owner[key] = grownTo(owner[key], size);
}
const CANDIDATE_ARRAYS = ["nodeOf", "hiddenFlags", "depth", "parentIndex", "textStart", "textEnd"] as const;
const NODE_ARRAYS = [
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
const SCANNED_ATTRIBUTES = 8;

/**
 * `capacity`: the expected number of elements (parsePage passes checkHtml's count of start tags),
 * so the arrays are allocated once instead of grown; more elements still fit.
 */
export function buildPage(html: string, capacity: number): BuiltPage {
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
  const page: BuiltPage = {
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
    nestedRoot: false,
  };
  const { tags, texts, labelFor } = page;
  const { names, attrNames, attrValues } = nodes;
  let candidateCount = 0;
  let textCount = 0;
  let attributeCount = 0;
  // Open elements: node id (NONE: the document), its candidate index (or -1), the nearest
  // candidate ancestor-or-self, whether hidden (itself or by an ancestor), its last child so far.
  const open: number[] = [NONE];
  const selfIndex: number[] = [-1];
  const ownerIndex: number[] = [-1];
  const hiddenStack: boolean[] = [false];
  const lastChild: number[] = [NONE];
  // Inside script, style, head, template…: elements are kept for selectors, never candidates.
  let skipped = 0;
  // The text node being extended (an entity splits a text into several callbacks), and its text.
  let lastText: string | null = null;
  let lastNode = NONE;
  let lastTextListed = false;
  // The start tag being read: its name and where its attributes begin.
  let pendingName: string | null = null;
  let pendingStart = 0;
  const seenNames = new Set<string>();
  /** A new node, last child of the innermost open element. */
  const addNode = (name: string, text: boolean): number => {
    if (nodes.count === nodes.parent.length) grow(nodes, NODE_ARRAYS);
    const id = nodes.count++;
    const parent = open[open.length - 1]!;
    const previous = lastChild[lastChild.length - 1]!;
    names[id] = name;
    nodes.isText[id] = text ? 1 : 0;
    nodes.parent[id] = parent;
    nodes.firstChild[id] = NONE;
    nodes.next[id] = NONE;
    nodes.prev[id] = previous;
    nodes.index[id] = -1;
    if (previous !== NONE) nodes.next[previous] = id;
    else if (parent === NONE) nodes.rootFirst = id;
    else nodes.firstChild[parent] = id;
    lastChild[lastChild.length - 1] = id;
    return id;
  };
  // Entities are decoded here, not by the tokenizer (its per-character entity state costs more
  // than a scan for "&"), with the same decoders and modes htmlparser2 uses: attribute values in
  // attribute mode, text in legacy mode, except inside raw-text elements (script, style, xmp…).
  // A page without a single "&" (one native scan) needs no per-attribute or per-text check.
  const mayHaveEntities = html.includes("&");
  let totalAttributes = 0;
  /** The start tag announced by onopentagname is read: the element opens. */
  const openElement = () => {
    const name = pendingName!;
    pendingName = null;
    const count = attributeCount - pendingStart;
    totalAttributes = checkElement(open.length - 1, count, totalAttributes);
    lastText = null;
    lastNode = NONE;
    const id = addNode(name, false);
    nodes.attrStart[id] = pendingStart;
    nodes.attrCount[id] = count;
    open.push(id);
    lastChild.push(NONE);
    const parentOwner = ownerIndex[ownerIndex.length - 1]!;
    const inHidden = hiddenStack[hiddenStack.length - 1]!;
    if (skipped > 0 || SKIPPED.has(name)) {
      skipped++;
      selfIndex.push(-1);
      ownerIndex.push(parentOwner);
      hiddenStack.push(inHidden);
      return;
    }
    const isHidden = inHidden || isHiddenElement(name, id);
    if (NOT_CANDIDATES.has(name)) {
      if (parentOwner >= 0) page.nestedRoot = true;
      selfIndex.push(-1);
      ownerIndex.push(parentOwner);
      hiddenStack.push(isHidden);
      return;
    }
    const index = candidateCount++;
    if (index === page.depth.length) grow(page, CANDIDATE_ARRAYS);
    if (name === "label") {
      const target = attributeOf(id, "for");
      if (target) labelFor.set(target, index);
    }
    nodes.index[id] = index;
    page.nodeOf[index] = id;
    tags[index] = name;
    page.parentIndex[index] = parentOwner;
    page.hiddenFlags[index] = isHidden ? 1 : 0;
    page.depth[index] = open.length - 2;
    page.textStart[index] = textCount;
    selfIndex.push(index);
    ownerIndex.push(index);
    hiddenStack.push(isHidden);
  };
  const attributeOf = (id: number, name: string): string | undefined => {
    const start = nodes.attrStart[id]!;
    const end = start + nodes.attrCount[id]!;
    for (let k = start; k < end; k++) if (attrNames[k] === name) return attrValues[k];
    return undefined;
  };
  /** isHiddenByAttributes of element `id`, its four attributes read in one pass over its range. */
  const isHiddenElement = (name: string, id: number): boolean => {
    const start = nodes.attrStart[id]!;
    const end = start + nodes.attrCount[id]!;
    if (start === end) return false;
    let hidden: string | undefined;
    let ariaHidden: string | undefined;
    let type: string | undefined;
    let style: string | undefined;
    for (let k = start; k < end; k++) {
      const key = attrNames[k]!;
      if (key === "hidden") hidden = attrValues[k];
      else if (key === "aria-hidden") ariaHidden = attrValues[k];
      else if (key === "type") type = attrValues[k];
      else if (key === "style") style = attrValues[k];
    }
    return isHiddenBy(name, hidden, ariaHidden, type, style);
  };
  const parser = new PageParser(
    {
      onopentagname: (name) => {
        pendingName = name;
        pendingStart = attributeCount;
        if (seenNames.size > 0) seenNames.clear();
      },
      // htmlparser2 keeps the first of repeated attributes (and drops `__proto__`, which setting on
      // its attributes object does not store): found by a scan, or a set on elements with many.
      onattribute: (name, raw) => {
        if (pendingName === null || name === "__proto__") return;
        const count = attributeCount - pendingStart;
        if (count <= SCANNED_ATTRIBUTES) {
          for (let k = pendingStart; k < attributeCount; k++) if (attrNames[k] === name) return;
        } else if (seenNames.has(name)) return;
        const value = mayHaveEntities && raw.includes("&") ? decodeHTMLAttribute(raw) : raw;
        attrNames[attributeCount] = name;
        attrValues[attributeCount++] = value;
        if (count === SCANNED_ATTRIBUTES)
          for (let k = pendingStart; k < attributeCount; k++) seenNames.add(attrNames[k]!);
        else if (count > SCANNED_ATTRIBUTES) seenNames.add(name);
      },
      onclosetag: (_name, implied) => {
        // Only `</br>` (read as <br>) opens an element without its start tag ending; a start tag
        // cut off by the end of the document never opens one.
        if (pendingName !== null) {
          if (implied) pendingName = null;
          else openElement();
        }
        lastText = null;
        lastNode = NONE;
        if (open.length <= 1) return;
        open.pop();
        lastChild.pop();
        const index = selfIndex.pop()!;
        ownerIndex.pop();
        hiddenStack.pop();
        if (skipped > 0) skipped--;
        else if (index >= 0) page.textEnd[index] = textCount;
      },
      ontext: (raw) => {
        const data = mayHaveEntities && raw.includes("&") && !inRawText(parser) ? decodeHTML(raw) : raw;
        const listed = skipped === 0 && !hiddenStack[hiddenStack.length - 1];
        if (lastText !== null) {
          lastText += data;
          names[lastNode] = lastText;
          if (!listed) return;
          if (lastTextListed) texts[textCount - 1] = lastText;
          else if (NON_SPACE.test(lastText)) {
            texts[textCount++] = lastText;
            lastTextListed = true;
          }
          return;
        }
        lastText = data;
        lastNode = addNode(data, true);
        lastTextListed = listed && NON_SPACE.test(data);
        if (lastTextListed) texts[textCount++] = data;
      },
      oncomment: () => {
        lastText = null;
        lastNode = NONE;
      },
      onprocessinginstruction: () => {
        lastText = null;
        lastNode = NONE;
      },
    },
    { decodeEntities: false, lowerCaseAttributeNames: true, lowerCaseTags: true },
    openElement,
  );
  parser.end(html);
  texts.length = textCount;
  attrNames.length = attributeCount;
  attrValues.length = attributeCount;
  const count = candidateCount;
  tags.length = count;
  names.length = nodes.count;
  nodes.position = new Int32Array(nodes.count);
  page.nodeOf = page.nodeOf.subarray(0, count);
  page.hiddenFlags = page.hiddenFlags.subarray(0, count);
  page.depth = page.depth.subarray(0, count);
  page.parentIndex = page.parentIndex.subarray(0, count);
  page.textStart = page.textStart.subarray(0, count);
  page.textEnd = page.textEnd.subarray(0, count);
  return page;
}
