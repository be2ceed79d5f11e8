/**
 * DOM form: parse HTML once and describe elements the way the SDK would in a browser
 * (minus layout: there is no rect server-side).
 *
 * htmlparser2's tokenizer callbacks build a light tree of our own (no domhandler: its nodes and
 * text merging cost as much as tokenizing) and, in the same pass, the per-element facts the
 * shortlist needs (page-builder.ts). Nothing walks the tree again. Descriptors (xpath, idXpath, text,
 * neighbour text, label) are built lazily and memoised, because healing a 10k-node page fully
 * describes only the few hundred elements that survive the cheap shortlist (see shortlist.ts).
 *
 * The light nodes have domhandler's shape (type, name, attribs, children, parent, prev, next,
 * data), so css-select and domutils work on them unchanged (see `asDomhandler`).
 */
import type { Element as DomhandlerElement } from "domhandler";
import {
  cap,
  collapse,
  type Element,
  escapeXpathLiteral,
  INLINE,
  isElementNode,
  LABELLABLE,
  lowerName,
  NEIGHBOR_LIMIT,
  type PageElement,
  type Root,
  TEXT_LIMIT,
  type TextNode,
} from "./dom-nodes.ts";
import { checkHtml } from "./limits.ts";
import { buildPage, type IndexedPath } from "./page-builder.ts";
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

/**
 * A parsed page. `elements` are the candidates in document order (inside body; never html/head/body,
 * scripts or styles); the typed per-element arrays are for the shortlist's linear pass.
 */
export class ParsedPage {
  readonly document: Root = { type: "root", children: [], parent: null, prev: null, next: null };
  readonly elements: PageElement[];
  /** Candidate index of an element of this page (undefined for html, body, head, scripts…). */
  readonly indexOf = {
    get(element: Element | DomhandlerElement): number | undefined {
      const index = (element as Element).index;
      return index >= 0 ? index : undefined;
    },
  };
  /** Lower-case tag per element. */
  readonly tags: string[];
  readonly attribs: Record<string, string>[];
  readonly hiddenFlags: Uint8Array;
  readonly depth: Int32Array;
  /** Candidate index of the nearest candidate ancestor, or -1. */
  readonly parentIndex: Int32Array;
  /** Visible, non-blank text nodes in document order (raw). Element i covers [textStart[i], textEnd[i]). */
  readonly texts: string[];
  readonly textStart: Int32Array;
  readonly textEnd: Int32Array;
  /** Every element node of the document (incl. head, scripts, html, body), for selector uniqueness. */
  readonly allElements: Element[];
  readonly #labelFor: Map<string, Element>;
  // Memos by candidate index. A heal describes a few hundred of a page's elements: maps hold just
  // those, where arrays at the page's length cost 80 kB each on a 10k-node page (docs/heal-model.md).
  readonly #ownText = new Map<number, string>();
  readonly #xpath = new Map<number, string>();
  readonly #idXpath = new Map<number, string>();
  readonly #descriptor = new Map<number, ElementDescriptor>();

  /** With an indexed path (parsePage's `path`): the element at it, or null. Otherwise null. */
  readonly atPath: Element | null;
  /**
   * Whether an html or body element sits inside a candidate. Otherwise the texts a candidate covers
   * ([textStart, textEnd)) are exactly the non-blank text nodes textOf reads, in its order.
   */
  readonly nestedRoot: boolean;

  /**
   * `capacity`: the expected number of elements (parsePage passes checkHtml's count of start tags).
   * `path`: build only what describes the element at this indexed path (page-builder.ts): such a
   * page answers for that element alone (atPath's descriptor), never for a whole-page pass.
   */
  constructor(html: string, capacity = 64, path: IndexedPath | null = null) {
    const built = buildPage(this, this.document, html, capacity, path);
    this.elements = built.elements;
    this.tags = built.tags;
    this.attribs = built.attribs;
    this.allElements = built.allElements;
    this.hiddenFlags = built.hiddenFlags;
    this.depth = built.depth;
    this.parentIndex = built.parentIndex;
    this.texts = built.texts;
    this.textStart = built.textStart;
    this.textEnd = built.textEnd;
    this.#labelFor = built.labelFor;
    this.atPath = built.atPath;
    this.nestedRoot = built.nestedRoot;
  }

  /** 1-based position among same-name element siblings (XPath `tag[n]`, CSS `:nth-of-type(n)`). */
  positionOf(element: Element): number {
    if (element.position > 0) return element.position;
    // All siblings get theirs at once (the parent's children are walked once), kept on the nodes.
    const siblings = element.parent?.children ?? [element];
    const counts = new Map<string, number>();
    for (const sibling of siblings) {
      if (!isElementNode(sibling)) continue;
      const name = lowerName(sibling.name);
      const position = (counts.get(name) ?? 0) + 1;
      counts.set(name, position);
      sibling.position = position;
    }
    return element.position || 1;
  }

  /** Absolute indexed xpath, e.g. /html[1]/body[1]/div[2]/a[1]. */
  xpathOf(element: Element): string {
    const index = this.indexOf.get(element);
    if (index !== undefined) {
      const known = this.#xpath.get(index);
      if (known !== undefined) return known;
    }
    const parent = element.parent;
    const prefix = parent && parent.type !== "root" ? this.xpathOf(parent as Element) : "";
    const xpath = `${prefix}/${lowerName(element.name)}[${this.positionOf(element)}]`;
    if (index !== undefined) this.#xpath.set(index, xpath);
    return xpath;
  }

  /** Xpath anchored at the nearest ancestor-or-self with an id, or "". */
  idXpathOf(element: Element): string {
    const index = this.indexOf.get(element);
    if (index !== undefined) {
      const known = this.#idXpath.get(index);
      if (known !== undefined) return known;
    }
    let idXpath: string;
    const id = element.attribs.id;
    if (id) idXpath = `//*[@id=${escapeXpathLiteral(id)}]`;
    else {
      const parent = element.parent;
      const prefix = parent && parent.type !== "root" ? this.idXpathOf(parent as Element) : "";
      idXpath = prefix ? `${prefix}/${lowerName(element.name)}[${this.positionOf(element)}]` : "";
    }
    if (index !== undefined) this.#idXpath.set(index, idXpath);
    return idXpath;
  }

  /**
   * Visible text of element i, whitespace collapsed, block children separated by spaces, capped.
   * Memoised; computed with an explicit stack so deep pages cannot overflow.
   */
  textOf(i: number): string {
    const known = this.#ownText.get(i);
    if (known !== undefined) return known;
    // Leaves and single-text elements (most controls and cells) need no walk.
    const children = this.elements[i]!.element.children;
    if (children.length === 0 || (children.length === 1 && children[0]!.type === "text")) {
      const text =
        children.length === 0 || this.hiddenFlags[i]
          ? ""
          : cap(collapse((children[0] as TextNode).data), TEXT_LIMIT);
      this.#ownText.set(i, text);
      return text;
    }
    const stack: { index: number; child: number; text: string }[] = [{ index: i, child: 0, text: "" }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const children = this.elements[frame.index]!.element.children;
      if (frame.text.length >= TEXT_LIMIT || frame.child >= children.length) {
        const text = this.hiddenFlags[frame.index] ? "" : cap(collapse(frame.text), TEXT_LIMIT);
        this.#ownText.set(frame.index, text);
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          const inline = INLINE.has(this.tags[frame.index]!);
          parent.text += inline ? text : ` ${text} `;
          parent.child++;
        }
        continue;
      }
      const child = children[frame.child]!;
      if (child.type === "text") {
        frame.text += child.data;
        frame.child++;
      } else if (child.type === "tag") {
        const childIndex = this.indexOf.get(child as Element);
        if (childIndex === undefined || this.hiddenFlags[childIndex]) {
          frame.child++;
          continue;
        }
        const childText = this.#ownText.get(childIndex);
        if (childText === undefined) {
          stack.push({ index: childIndex, child: 0, text: "" });
          continue;
        }
        frame.text += INLINE.has(this.tags[childIndex]!) ? childText : ` ${childText} `;
        frame.child++;
      } else frame.child++;
    }
    return this.#ownText.get(i)!;
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

  /** `<label for>` or a wrapping label names a form control (the SDK gets this from the browser). */
  labelOf(i: number): string {
    const labelIndex = this.labelIndexOf(i);
    return labelIndex < 0 ? "" : this.textOf(labelIndex);
  }

  /** Candidate index of the label naming element i (see labelOf), or -1. */
  labelIndexOf(i: number): number {
    const attributes = this.attribs[i]!;
    if (!LABELLABLE.has(this.tags[i]!) || attributes["aria-label"]) return -1;
    let label: Element | undefined = attributes.id ? this.#labelFor.get(attributes.id) : undefined;
    if (!label) {
      let parent = this.parentIndex[i]!;
      while (parent >= 0 && !label) {
        if (this.tags[parent] === "label") label = this.elements[parent]!.element;
        parent = this.parentIndex[parent]!;
      }
    }
    if (!label) return -1;
    return this.indexOf.get(label) ?? -1;
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

  /** The descriptor of element i, built anew (use `elements[i].descriptor`, which memoises it). */
  describe(i: number): ElementDescriptor {
    const element = this.elements[i]!.element;
    const descriptor: ElementDescriptor = {
      tag: this.tags[i]!,
      attributes: this.attribs[i]!,
      xpath: this.xpathOf(element),
    };
    const idXpath = this.idXpathOf(element);
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

/**
 * Browsers always build html > body around a fragment, so their xpaths start /html[1]/body[1]; a
 * fragment sent to the DOM form is wrapped the same way so xpaths agree with the browser's.
 */
const HAS_DOCUMENT_ELEMENT = /<(html|body)[\s>]/i;

export function parsePage(html: string, path: IndexedPath | null = null): ParsedPage {
  const startTags = checkHtml(html);
  const head = html.slice(0, 4096);
  return HAS_DOCUMENT_ELEMENT.test(head)
    ? new ParsedPage(html, startTags, path)
    : new ParsedPage(`<html><head></head><body>${html}</body></html>`, startTags + 3, path);
}
