/**
 * DOM form: parse HTML once and describe elements the way the SDK would in a browser
 * (minus layout: there is no rect server-side).
 *
 * htmlparser2's tokenizer callbacks record the page in flat arrays (page-builder.ts: nodes,
 * attributes, and the per-element facts the shortlist needs) instead of a tree of objects. Nothing
 * walks the page again. Descriptors (xpath, idXpath, text, neighbour text, label) are built lazily
 * from the arrays and memoised, because healing a 10k-node page fully describes only the few
 * hundred elements that survive the cheap shortlist (see shortlist.ts).
 *
 * `document` and `elements` are a light tree with domhandler's shape (type, name, attribs, children,
 * parent, prev, next, data), so css-select and domutils work on it unchanged (see `asDomhandler`);
 * it is built from the arrays the first time one of them is read (page-tree.ts).
 */
import type { Element as DomhandlerElement } from "domhandler";
import { browserXpath } from "./browser-xpath.ts";
import {
  collapse,
  type Element,
  elementType,
  escapeXpathLiteral,
  INLINE,
  LABELLABLE,
  LEADING_SPACE,
  lowerName,
  NEIGHBOR_LIMIT,
  type PageElement,
  type Root,
  spacedEdges,
  TEXT_LIMIT,
  TRAILING_SPACE,
} from "./dom-nodes.ts";
import { cap, checkHtml } from "./limits.ts";
import { type IndexedPath, NONE, nodeAttribute, type PageNodes } from "./page-arrays.ts";
import { buildPage } from "./page-builder.ts";
import { buildTree, type PageTree } from "./page-tree.ts";
import { hideByStyleSheets } from "./style-visibility.ts";
import type { ElementDescriptor } from "./types.ts";

export {
  asDomhandler,
  type ChildNode,
  Element,
  fromDomhandler,
  LABELLABLE,
  type PageElement,
  type ParentNode,
  type Root,
  TextNode,
} from "./dom-nodes.ts";

/** The element at an indexed path (parsePage's `path`): its candidate index (-1: none), as a PageElement. */
export type PathElement = { index: number; readonly descriptor: ElementDescriptor; readonly hidden: boolean };

/**
 * A parsed page. Candidates (index i) are the elements inside body in document order (never
 * html/head/body, scripts or styles); the typed per-candidate arrays are for the shortlist's linear
 * pass. Nodes (id) are every element and text node (page-arrays.ts PageNodes).
 */
export class ParsedPage {
  readonly nodes: PageNodes;
  /** Number of candidates. */
  readonly count: number;
  /** Node id of candidate i. */
  readonly nodeOf: Int32Array;
  /** Candidate index of an element of this page's tree (undefined for html, body, head, scripts…). */
  readonly indexOf = {
    get(element: Element | DomhandlerElement): number | undefined {
      const index = (element as Element).index;
      return index >= 0 ? index : undefined;
    },
  };
  /** Lower-case tag per candidate. */
  readonly tags: string[];
  readonly hiddenFlags: Uint8Array;
  readonly depth: Int32Array;
  /** Candidate index of the nearest candidate ancestor, or -1. */
  readonly parentIndex: Int32Array;
  /** Visible, non-blank text nodes in document order (raw). Element i covers [textStart[i], textEnd[i]). */
  readonly texts: string[];
  readonly textStart: Int32Array;
  readonly textEnd: Int32Array;
  readonly #labelFor: Map<string, number>;
  // Memos by candidate (or node) index. A heal describes a few hundred of a page's elements: maps
  // hold just those, where arrays at the page's length cost 80 kB each on a 10k-node page.
  readonly #ownText = new Map<number, string>();
  readonly #spaced: Uint8Array; // spacedEdges of each candidate's text before collapsing
  readonly #xpath = new Map<number, string>();
  readonly #idXpath = new Map<number, string>();
  readonly #descriptor = new Map<number, ElementDescriptor>();
  readonly #attributes = new Map<number, Record<string, string>>();
  /** Candidate index by id, built on the first aria-labelledby read (labelOf). */
  #byId: Map<string, number> | null = null;
  #tree: PageTree | null = null;
  #elements: Element[] | null = null;

  /** With an indexed path (parsePage's `path`): the element at it, or null. Otherwise null. */
  readonly atPath: PathElement | null;

  /**
   * `capacity`: the expected number of elements (parsePage passes checkHtml's count of start tags).
   * `path`: also find the element at this indexed path (atPath).
   */
  constructor(html: string, capacity = 64, path: IndexedPath | null = null) {
    const built = buildPage(html, capacity);
    this.nodes = built.nodes;
    this.nodeOf = built.nodeOf;
    this.count = built.nodeOf.length;
    this.#spaced = new Uint8Array(this.count);
    this.tags = built.tags;
    this.hiddenFlags = built.hiddenFlags;
    this.depth = built.depth;
    this.parentIndex = built.parentIndex;
    this.texts = built.texts;
    this.textStart = built.textStart;
    this.textEnd = built.textEnd;
    this.#labelFor = built.labelFor;
    if (built.styleNodes.length > 0) hideByStyleSheets(this, built.styleNodes, () => this.#treeOf());
    this.atPath = path ? this.#atPath(path) : null;
  }

  #atPath(path: IndexedPath): PathElement | null {
    const { names, isText, firstChild, next } = this.nodes;
    let parent = NONE;
    for (const step of path) {
      let seen = 0;
      let found = NONE;
      for (
        let id = parent === NONE ? this.nodes.rootFirst : firstChild[parent]!;
        id !== NONE;
        id = next[id]!
      ) {
        if (isText[id] === 1 || lowerName(names[id]!) !== step.name) continue;
        if (++seen === step.position) {
          found = id;
          break;
        }
      }
      if (found === NONE) return null;
      parent = found;
    }
    const index = this.nodes.index[parent]!;
    const page = this;
    return {
      index,
      get descriptor() {
        return page.descriptorOf(index);
      },
      get hidden() {
        return index >= 0 && page.hiddenFlags[index] === 1;
      },
    };
  }

  #treeOf(): PageTree {
    this.#tree ??= buildTree(this, this.nodes, (id) => this.attributesOfNode(id));
    return this.#tree;
  }

  /** The document as a light tree (built on first use). */
  get document(): Root {
    return this.#treeOf().document;
  }

  /** The candidates as light-tree elements, in document order (builds the tree on first use). */
  get elements(): PageElement[] {
    if (this.#elements === null) {
      const nodes = this.#treeOf().nodes;
      this.#elements = Array.from(this.nodeOf, (id) => nodes[id] as Element);
    }
    return this.#elements;
  }

  /** Every element node of the document (incl. head, scripts, html, body). */
  get allElements(): Element[] {
    return this.#treeOf().nodes.filter((node): node is Element => node.type !== "text");
  }

  /** The attributes of element node `id` as an object (memoised: a descriptor's `attributes`). */
  attributesOfNode(id: number): Record<string, string> {
    let attributes = this.#attributes.get(id);
    if (attributes === undefined) {
      attributes = {};
      const { attrNames, attrValues } = this.nodes;
      const start = this.nodes.attrStart[id]!;
      const end = start + this.nodes.attrCount[id]!;
      for (let k = start; k < end; k++) attributes[attrNames[k]!] = attrValues[k]!;
      this.#attributes.set(id, attributes);
    }
    return attributes;
  }

  attributesOf(i: number): Record<string, string> {
    return this.attributesOfNode(this.nodeOf[i]!);
  }

  /** One attribute of element node `id`, read from the page's arrays. */
  attributeOfNode(id: number, name: string): string | undefined {
    return nodeAttribute(this.nodes, id, name);
  }

  attributeOf(i: number, name: string): string | undefined {
    return this.attributeOfNode(this.nodeOf[i]!, name);
  }

  /** Whether node `id` is an element of domhandler type "tag" (not text, script or style). */
  isTag(id: number): boolean {
    return this.nodes.isText[id] === 0 && elementType(this.nodes.names[id]!) === "tag";
  }

  /** 1-based position of element node `id` among same-name element siblings (XPath `tag[n]`). */
  positionOf(id: number): number {
    const { position, names, isText, next } = this.nodes;
    if (position[id]! > 0) return position[id]!;
    // All siblings get theirs at once (the parent's children are walked once).
    const parent = this.nodes.parent[id]!;
    const counts = new Map<string, number>();
    for (
      let s = parent === NONE ? this.nodes.rootFirst : this.nodes.firstChild[parent]!;
      s !== NONE;
      s = next[s]!
    ) {
      if (isText[s] === 1) continue;
      const name = lowerName(names[s]!);
      const at = (counts.get(name) ?? 0) + 1;
      counts.set(name, at);
      position[s] = at;
    }
    return position[id] || 1;
  }

  /** Absolute indexed xpath of element node `id`, e.g. /html[1]/body[1]/div[2]/a[1]. */
  xpathOf(id: number): string {
    const index = this.nodes.index[id]!;
    if (index >= 0) {
      const known = this.#xpath.get(index);
      if (known !== undefined) return known;
    }
    const parent = this.nodes.parent[id]!;
    const prefix = parent !== NONE ? this.xpathOf(parent) : "";
    const xpath = `${prefix}/${lowerName(this.nodes.names[id]!)}[${this.positionOf(id)}]`;
    if (index >= 0) this.#xpath.set(index, xpath);
    return xpath;
  }

  /** The indexed xpath a browser evaluates to element node `id` (browser-xpath.ts). */
  browserXpathOf(id: number): string {
    return browserXpath(this, id);
  }

  /** Xpath of element node `id` anchored at the nearest ancestor-or-self with an id, or "". */
  idXpathOf(id: number): string {
    const index = this.nodes.index[id]!;
    if (index >= 0) {
      const known = this.#idXpath.get(index);
      if (known !== undefined) return known;
    }
    let idXpath: string;
    const anchor = this.attributeOfNode(id, "id");
    if (anchor) idXpath = `//*[@id=${escapeXpathLiteral(anchor)}]`;
    else {
      const parent = this.nodes.parent[id]!;
      const prefix = parent !== NONE ? this.idXpathOf(parent) : "";
      idXpath = prefix ? `${prefix}/${lowerName(this.nodes.names[id]!)}[${this.positionOf(id)}]` : "";
    }
    if (index >= 0) this.#idXpath.set(index, idXpath);
    return idXpath;
  }

  /**
   * Visible text of element i, whitespace collapsed, block children separated by spaces, capped.
   * Memoised; computed with an explicit stack so deep pages cannot overflow.
   */
  textOf(i: number): string {
    const known = this.#ownText.get(i);
    if (known !== undefined) return known;
    const { names, isText, firstChild, next, index: indexOfNode } = this.nodes;
    // Leaves and single-text elements (most controls and cells) need no walk.
    const first = firstChild[this.nodeOf[i]!]!;
    if (first === NONE || (isText[first] === 1 && next[first] === NONE)) {
      const raw = first === NONE || this.hiddenFlags[i] ? "" : names[first]!;
      const text = cap(collapse(raw), TEXT_LIMIT);
      this.#ownText.set(i, text);
      this.#spaced[i] = spacedEdges(raw);
      return text;
    }
    // Per open element: its candidate index, the next child to read, its text so far.
    const stack: { index: number; child: number; text: string }[] = [{ index: i, child: first, text: "" }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.text.length >= TEXT_LIMIT || frame.child === NONE) {
        const raw = this.hiddenFlags[frame.index] ? "" : frame.text;
        const text = cap(collapse(raw), TEXT_LIMIT);
        this.#ownText.set(frame.index, text);
        this.#spaced[frame.index] = spacedEdges(raw);
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          parent.text += this.#joined(frame.index, text);
          parent.child = next[parent.child]!;
        }
        continue;
      }
      const child = frame.child;
      if (isText[child] === 1) {
        frame.text += names[child];
        frame.child = next[child]!;
      } else if (elementType(names[child]!) === "tag") {
        const childIndex = indexOfNode[child]!;
        if (childIndex < 0 || this.hiddenFlags[childIndex]) {
          frame.child = next[child]!;
          continue;
        }
        const childText = this.#ownText.get(childIndex);
        if (childText === undefined) {
          stack.push({ index: childIndex, child: firstChild[child]!, text: "" });
          continue;
        }
        frame.text += this.#joined(childIndex, childText);
        frame.child = next[child]!;
      } else frame.child = next[child]!;
    }
    return this.#ownText.get(i)!;
  }

  /**
   * Child element i's text as its parent's text reads it: a block set apart by spaces; an inline
   * element as it is, with the space its own text starts or ends with (`<span>5.1. </span>Shebang`
   * reads "5.1. Shebang", as innerText and accessible names read it, not "5.1.Shebang").
   */
  #joined(i: number, text: string): string {
    if (!INLINE.has(this.tags[i]!)) return ` ${text} `;
    const spaced = this.#spaced[i]!;
    return `${spaced & LEADING_SPACE ? " " : ""}${text}${spaced & TRAILING_SPACE ? " " : ""}`;
  }

  /** Text of the nearest visible text node before / after element i (outside it). */
  neighborTextOf(i: number): { above?: string; below?: string } | undefined {
    const above = this.texts[this.textStart[i]! - 1];
    const below = this.texts[this.textEnd[i]!];
    if (above === undefined && below === undefined) return undefined;
    const result: { above?: string; below?: string } = {};
    if (above !== undefined) result.above = cap(collapse(above), NEIGHBOR_LIMIT);
    if (below !== undefined) result.below = cap(collapse(below), NEIGHBOR_LIMIT);
    return result;
  }

  /**
   * The name other elements give element i, as browsers (and the SDK) read it: the elements its
   * `aria-labelledby` names, else the `<label for>` or wrapping label of a form control; "" for none.
   */
  labelOf(i: number): string {
    const labelledBy = this.#labelledBy(i);
    if (labelledBy) return labelledBy;
    const labelIndex = this.labelIndexOf(i);
    return labelIndex < 0 ? "" : this.textOf(labelIndex);
  }

  /** The text of the elements element i's `aria-labelledby` names, space-separated ("" without one). */
  #labelledBy(i: number): string {
    const ids = this.attributeOf(i, "aria-labelledby")?.trim();
    if (!ids) return "";
    if (this.#byId === null) {
      this.#byId = new Map();
      for (let k = 0; k < this.count; k++) {
        const id = this.attributeOf(k, "id");
        if (id !== undefined && !this.#byId.has(id)) this.#byId.set(id, k);
      }
    }
    const texts: string[] = [];
    for (const id of ids.split(/\s+/)) {
      const k = this.#byId.get(id);
      if (k !== undefined && k !== i) texts.push(this.textOf(k));
    }
    return texts.join(" ").trim();
  }

  /** The candidate index just past element i's last candidate descendant (its subtree is [i + 1, end)). */
  subtreeEnd(i: number): number {
    let end = i + 1;
    while (end < this.count && this.depth[end]! > this.depth[i]!) end++;
    return end;
  }

  /** Candidate index of the label naming element i (see labelOf), or -1. */
  labelIndexOf(i: number): number {
    if (!LABELLABLE.has(this.tags[i]!) || this.attributeOf(i, "aria-label")) return -1;
    const id = this.attributeOf(i, "id");
    let label = id ? (this.#labelFor.get(id) ?? -1) : -1;
    for (let parent = this.parentIndex[i]!; parent >= 0 && label < 0; parent = this.parentIndex[parent]!) {
      if (this.tags[parent] === "label") label = parent;
    }
    return label;
  }

  /** The descriptor of candidate i, memoised (what `elements[i].descriptor` returns). */
  descriptorOf(i: number): ElementDescriptor {
    let descriptor = this.#descriptor.get(i);
    if (descriptor === undefined) {
      descriptor = this.describe(i);
      this.#descriptor.set(i, descriptor);
    }
    return descriptor;
  }

  /** The descriptor of element i, built anew (use descriptorOf, which memoises it). */
  describe(i: number): ElementDescriptor {
    const id = this.nodeOf[i]!;
    const descriptor: ElementDescriptor = {
      tag: this.tags[i]!,
      attributes: this.attributesOf(i),
      xpath: this.xpathOf(id),
    };
    const idXpath = this.idXpathOf(id);
    if (idXpath) descriptor.idXpath = idXpath;
    const text = this.textOf(i);
    if (text) descriptor.text = text;
    const neighborText = this.neighborTextOf(i);
    if (neighborText) descriptor.neighborText = neighborText;
    const label = this.labelOf(i);
    if (label) descriptor.accessibleName = label;
    return descriptor;
  }
}

export function parsePage(html: string, path: IndexedPath | null = null): ParsedPage {
  // A fragment needs no wrapping: the builder implies html, head and body as a browser does.
  return new ParsedPage(html, checkHtml(html) + 3, path);
}
