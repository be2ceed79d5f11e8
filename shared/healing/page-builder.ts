/**
 * Builds a parsed page (dom.ts ParsedPage) in htmlparser2's tokenizer callbacks: the light tree and,
 * in the same pass, the per-element facts the shortlist needs (only integers and references: tag,
 * parent, hidden, depth, the span of visible text nodes it covers). Nothing walks the tree again.
 *
 * With an indexed path (`/html[1]/body[1]/div[2]`, what a previousDom heal usually names), only the
 * nodes that can describe the element at that path are built: the elements along the path, the
 * element's subtree and every label's subtree (its accessible name). All the per-element facts and
 * visible texts (neighbour text) are still recorded for every element, so the element is described
 * exactly as on a full page, at a fraction of the objects (docs/heal-model.md "Cost of the DOM form").
 */
import { decodeHTML, decodeHTMLAttribute } from "entities";
import {
  type ChildNode,
  type Describer,
  Element,
  grown,
  inRawText,
  lowerName,
  NON_SPACE,
  NOT_CANDIDATES,
  type ParentNode,
  type Root,
  SKIPPED,
  TextNode,
} from "./dom-nodes.ts";
import { checkElement } from "./limits.ts";
import { PageParser } from "./page-parser.ts";
import { isHiddenByAttributes } from "./visibility.ts";

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

export type BuiltPage = {
  elements: Element[];
  tags: string[];
  attribs: Record<string, string>[];
  allElements: Element[];
  hiddenFlags: Uint8Array;
  depth: Int32Array;
  parentIndex: Int32Array;
  texts: string[];
  textStart: Int32Array;
  textEnd: Int32Array;
  labelFor: Map<string, Element>;
  /** With a path: the element at it, or null. */
  atPath: Element | null;
  /** Whether an html or body element sits inside a candidate (its texts are listed, yet it is none). */
  nestedRoot: boolean;
};

/** Doubles the per-element typed arrays (a page with more elements than its start tags announced). */
function grow(page: BuiltPage): void {
  const size = Math.max(64, page.depth.length * 2);
  page.hiddenFlags = grown(page.hiddenFlags, new Uint8Array(size));
  page.depth = grown(page.depth, new Int32Array(size));
  page.parentIndex = grown(page.parentIndex, new Int32Array(size));
  page.textStart = grown(page.textStart, new Int32Array(size));
  page.textEnd = grown(page.textEnd, new Int32Array(size));
}

/**
 * `capacity`: the expected number of elements (parsePage passes checkHtml's count of start tags),
 * so the per-element arrays are allocated once instead of grown; more elements still fit.
 * `path`: build only what describes the element at this path (see above); null builds everything.
 */
export function buildPage(
  owner: Describer,
  document: Root,
  html: string,
  capacity: number,
  path: IndexedPath | null,
): BuiltPage {
  // Sized once and trimmed at the end: grown by push, each array is reallocated a dozen times on a
  // 10k-element page. Most elements hold at most one text node: texts are sized the same.
  const page: BuiltPage = {
    elements: new Array(capacity),
    tags: new Array(capacity),
    attribs: new Array(capacity),
    allElements: new Array(capacity),
    hiddenFlags: new Uint8Array(capacity),
    depth: new Int32Array(capacity),
    parentIndex: new Int32Array(capacity),
    texts: new Array(capacity),
    textStart: new Int32Array(capacity),
    textEnd: new Int32Array(capacity),
    labelFor: new Map(),
    atPath: null,
    nestedRoot: false,
  };
  const { elements, tags, attribs, allElements, texts, labelFor } = page;
  let elementCount = 0;
  let candidateCount = 0;
  let textCount = 0;
  // Open elements: the node (null when not built), its candidate index (or -1), the nearest
  // candidate ancestor-or-self, whether it is hidden (itself or by an ancestor); html is depth 0.
  const open: (ParentNode | null)[] = [document];
  const selfIndex: number[] = [-1];
  const ownerIndex: number[] = [-1];
  const hiddenStack: boolean[] = [false];
  // Inside script, style, head, template…: elements are kept for selectors, never candidates.
  let skipped = 0;
  // With a path: open elements matched along it, same-name children seen under the deepest one,
  // whether the path is over (an element on it closed), and the open subtrees being built.
  let matched = 0;
  let seen = 0;
  let pathOver = path === null;
  let building = path === null ? 1 : 0;
  // Per open element: whether it started a subtree being built (the element at the path, a label).
  const starts: boolean[] = [false];
  // The text being extended (an entity splits a text into several callbacks), and its node if built.
  let lastText: string | null = null;
  let lastNode: TextNode | null = null;
  let lastTextListed = false;
  // Children of the open elements, in one shared stack: an element's children are copied out when
  // it closes into an array of exactly their number (growing each array by push left most of them
  // with a dozen empty slots, all of it copied by every young-generation GC while the page lives).
  const pending: ChildNode[] = [];
  let pendingTop = 0;
  const childrenFrom: number[] = [0];
  const append = (node: ChildNode) => {
    if (pendingTop > childrenFrom[childrenFrom.length - 1]!) {
      const previous = pending[pendingTop - 1]!;
      node.prev = previous;
      previous.next = node;
    }
    pending[pendingTop++] = node;
  };
  const closeChildren = (parent: ParentNode) => {
    const from = childrenFrom.pop()!;
    if (pendingTop > from) parent.children = pending.slice(from, pendingTop);
    pendingTop = from;
  };
  /** With a path: whether an element named `name` opening now is on it (and where). */
  const onPath = (name: string): number => {
    if (pathOver || matched >= path!.length || open.length - 1 !== matched) return 0;
    const step = path![matched]!;
    if (lowerName(name) !== step.name) return 0;
    return ++seen === step.position ? seen : 0;
  };
  // Entities are decoded here, not by the tokenizer (its per-character entity state costs more
  // than a scan for "&"), with the same decoders and modes htmlparser2 uses: attribute values in
  // attribute mode, text in legacy mode, except inside raw-text elements (script, style, xmp…).
  // A page without a single "&" (one native scan) needs no per-attribute or per-text check.
  const mayHaveEntities = html.includes("&");
  let encodedAttributes = false;
  let totalAttributes = 0;
  const parser = new PageParser(
    {
      onattribute: mayHaveEntities
        ? (_name, value) => {
            if (value.includes("&")) encodedAttributes = true;
          }
        : undefined,
      onopentag: (name, attributes) => {
        totalAttributes = checkElement(open.length - 1, attributes, totalAttributes);
        lastText = null;
        lastNode = null;
        if (encodedAttributes) {
          encodedAttributes = false;
          for (const key in attributes) {
            const value = attributes[key]!;
            if (value.includes("&")) attributes[key] = decodeHTMLAttribute(value);
          }
        }
        const position = onPath(name);
        if (position > 0) {
          matched++;
          seen = 0;
        }
        const atPath = position > 0 && matched === path!.length;
        const start = path !== null && (atPath || name === "label");
        if (start) building++;
        starts.push(start);
        const parent = open[open.length - 1]!;
        let element: Element | null = null;
        if (building > 0 || position > 0) {
          element = new Element(owner, name, attributes, parent);
          if (position > 0) element.position = position;
          if (atPath) page.atPath = element;
          if (parent !== null) append(element);
          childrenFrom.push(pendingTop);
          allElements[elementCount++] = element;
        }
        open.push(element);
        const skip = skipped > 0 || SKIPPED.has(name);
        const parentOwner = ownerIndex[ownerIndex.length - 1]!;
        const inHidden = hiddenStack[hiddenStack.length - 1]!;
        if (skip) {
          skipped++;
          selfIndex.push(-1);
          ownerIndex.push(parentOwner);
          hiddenStack.push(inHidden);
          return;
        }
        const isHidden = inHidden || isHiddenByAttributes(name, attributes);
        if (name === "label" && attributes.for) labelFor.set(attributes.for, element!);
        if (NOT_CANDIDATES.has(name)) {
          if (parentOwner >= 0) page.nestedRoot = true;
          selfIndex.push(-1);
          ownerIndex.push(parentOwner);
          hiddenStack.push(isHidden);
          return;
        }
        const index = candidateCount++;
        if (index === page.depth.length) grow(page);
        if (element !== null) {
          element.index = index;
          elements[index] = element;
        }
        tags[index] = name;
        attribs[index] = attributes;
        page.parentIndex[index] = parentOwner;
        page.hiddenFlags[index] = isHidden ? 1 : 0;
        page.depth[index] = open.length - 2;
        page.textStart[index] = textCount;
        selfIndex.push(index);
        ownerIndex.push(index);
        hiddenStack.push(isHidden);
      },
      onclosetag: () => {
        lastText = null;
        lastNode = null;
        if (open.length <= 1) return;
        const element = open.pop()!;
        if (element !== null) closeChildren(element);
        const index = selfIndex.pop()!;
        ownerIndex.pop();
        hiddenStack.pop();
        if (starts.pop()) building--;
        // Past the end of an element on the path, no later element can be on it.
        if (path !== null && element !== null && (element as Element).position > 0) pathOver = true;
        if (skipped > 0) skipped--;
        else if (index >= 0) page.textEnd[index] = textCount;
      },
      ontext: (raw) => {
        const data = mayHaveEntities && raw.includes("&") && !inRawText(parser) ? decodeHTML(raw) : raw;
        const listed = skipped === 0 && !hiddenStack[hiddenStack.length - 1];
        if (lastText !== null) {
          lastText += data;
          if (lastNode !== null) lastNode.data = lastText;
          if (!listed) return;
          if (lastTextListed) texts[textCount - 1] = lastText;
          else if (NON_SPACE.test(lastText)) {
            texts[textCount++] = lastText;
            lastTextListed = true;
          }
          return;
        }
        const parent = open[open.length - 1]!;
        lastText = data;
        lastNode = null;
        if (parent !== null && building > 0) {
          lastNode = new TextNode(data, parent);
          append(lastNode);
        }
        lastTextListed = listed && NON_SPACE.test(data);
        if (lastTextListed) texts[textCount++] = data;
      },
      oncomment: () => {
        lastText = null;
        lastNode = null;
      },
      onprocessinginstruction: () => {
        lastText = null;
        lastNode = null;
      },
    },
    { decodeEntities: false, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.end(html);
  // htmlparser2 closes every element still open at the end, so only the document's own are left.
  closeChildren(document);
  allElements.length = elementCount;
  texts.length = textCount;
  const count = candidateCount;
  elements.length = count;
  tags.length = count;
  attribs.length = count;
  page.hiddenFlags = page.hiddenFlags.subarray(0, count);
  page.depth = page.depth.subarray(0, count);
  page.parentIndex = page.parentIndex.subarray(0, count);
  page.textStart = page.textStart.subarray(0, count);
  page.textEnd = page.textEnd.subarray(0, count);
  return page;
}
