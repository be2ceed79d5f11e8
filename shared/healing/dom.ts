/**
 * DOM form: parse HTML once and describe elements the way the SDK would in a browser
 * (minus layout: there is no rect server-side).
 *
 * htmlparser2's tokenizer callbacks build a light tree of our own (no domhandler: its nodes and
 * text merging cost as much as tokenizing) and, in the same pass, the per-element facts the
 * shortlist needs: only integers and references (tag, parent, hidden, depth, the span of visible
 * text nodes it covers). Nothing walks the tree again. Descriptors (xpath, idXpath, text,
 * neighbour text, label) are built lazily and memoised, because healing a 10k-node page fully
 * describes only the few hundred elements that survive the cheap shortlist (see shortlist.ts).
 *
 * The light nodes have domhandler's shape (type, name, attribs, children, parent, prev, next,
 * data), so css-select and domutils work on them unchanged (see `asDomhandler`).
 */
import type { Element as DomhandlerElement } from "domhandler";
import { decodeHTML, decodeHTMLAttribute } from "entities";
import {
  type ChildNode,
  cap,
  collapse,
  Element,
  escapeXpathLiteral,
  grown,
  INLINE,
  inRawText,
  isElementNode,
  LABELLABLE,
  lowerName,
  NEIGHBOR_LIMIT,
  NON_SPACE,
  NOT_CANDIDATES,
  type PageElement,
  type ParentNode,
  type Root,
  SKIPPED,
  TEXT_LIMIT,
  type TextNode,
} from "./dom-nodes.ts";
import { checkElement, checkHtml } from "./limits.ts";
import { PageParser } from "./page-parser.ts";
import type { ElementDescriptor } from "./types.ts";
import { isHiddenByAttributes } from "./visibility.ts";

export {
  asDomhandler,
  type ChildNode,
  Element,
  fromDomhandler,
  LABELLABLE,
  type PageElement,
  type ParentNode,
  type Root,
  type TextNode,
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
  hiddenFlags: Uint8Array;
  depth: Int32Array;
  /** Candidate index of the nearest candidate ancestor, or -1. */
  parentIndex: Int32Array;
  /** Visible, non-blank text nodes in document order (raw). Element i covers [textStart[i], textEnd[i]). */
  readonly texts: string[] = [];
  textStart: Int32Array;
  textEnd: Int32Array;
  /** Every element node of the document (incl. head, scripts, html, body), for selector uniqueness. */
  readonly allElements: Element[];
  readonly #labelFor = new Map<string, Element>();
  // Memos by candidate index. A heal describes a few hundred of a page's elements: maps hold just
  // those, where arrays at the page's length cost 80 kB each on a 10k-node page (docs/heal-model.md).
  readonly #ownText = new Map<number, string>();
  readonly #xpath = new Map<number, string>();
  readonly #idXpath = new Map<number, string>();

  /**
   * `capacity`: the expected number of elements (parsePage passes checkHtml's count of start tags),
   * so the per-element arrays are allocated once instead of grown; more elements still fit.
   */
  constructor(html: string, capacity = 64) {
    // Sized once and trimmed at the end, like the typed arrays: grown by push, each array is
    // reallocated a dozen times on a 10k-element page.
    this.elements = new Array(capacity);
    this.tags = new Array(capacity);
    this.attribs = new Array(capacity);
    this.allElements = new Array(capacity);
    let elementCount = 0;
    let candidateCount = 0;
    this.hiddenFlags = new Uint8Array(capacity);
    this.depth = new Int32Array(capacity);
    this.parentIndex = new Int32Array(capacity);
    this.textStart = new Int32Array(capacity);
    this.textEnd = new Int32Array(capacity);
    const texts = this.texts;
    const allElements = this.allElements;
    // Open elements: the node, its candidate index (or -1), the nearest candidate ancestor-or-self,
    // whether it is hidden (itself or by an ancestor), and its depth (html is 0).
    const open: ParentNode[] = [this.document];
    const owner: number[] = [-1];
    const hiddenStack: boolean[] = [false];
    // Inside script, style, head, template…: elements are kept for selectors, never candidates.
    let skipped = 0;
    // The text node being extended (an entity splits a text into several callbacks).
    let lastText: TextNode | null = null;
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
          if (encodedAttributes) {
            encodedAttributes = false;
            for (const key in attributes) {
              const value = attributes[key]!;
              if (value.includes("&")) attributes[key] = decodeHTMLAttribute(value);
            }
          }
          const parent = open[open.length - 1]!;
          const element = new Element(this, name, attributes, parent);
          const skip = skipped > 0 || SKIPPED.has(name);
          const candidate = !skip && !NOT_CANDIDATES.has(name);
          append(element);
          childrenFrom.push(pendingTop);
          allElements[elementCount++] = element;
          const parentOwner = owner[owner.length - 1]!;
          const inHidden = hiddenStack[hiddenStack.length - 1]!;
          open.push(element);
          if (skip) {
            skipped++;
            owner.push(parentOwner);
            hiddenStack.push(inHidden);
            return;
          }
          const isHidden = inHidden || isHiddenByAttributes(name, attributes);
          if (name === "label" && attributes.for) this.#labelFor.set(attributes.for, element);
          if (!candidate) {
            owner.push(parentOwner);
            hiddenStack.push(isHidden);
            return;
          }
          const index = candidateCount++;
          if (index === this.depth.length) this.#grow();
          element.index = index;
          element.hidden = isHidden;
          this.elements[index] = element;
          this.tags[index] = name;
          this.attribs[index] = attributes;
          this.parentIndex[index] = parentOwner;
          this.hiddenFlags[index] = isHidden ? 1 : 0;
          this.depth[index] = open.length - 2;
          this.textStart[index] = texts.length;
          owner.push(index);
          hiddenStack.push(isHidden);
        },
        onclosetag: () => {
          lastText = null;
          if (open.length <= 1) return;
          const element = open.pop() as Element;
          closeChildren(element);
          owner.pop();
          hiddenStack.pop();
          if (skipped > 0) skipped--;
          else if (element.index >= 0) this.textEnd[element.index] = texts.length;
        },
        ontext: (raw) => {
          const data = mayHaveEntities && raw.includes("&") && !inRawText(parser) ? decodeHTML(raw) : raw;
          const listed = skipped === 0 && !hiddenStack[hiddenStack.length - 1];
          if (lastText) {
            lastText.data += data;
            if (!listed) return;
            if (lastTextListed) texts[texts.length - 1] = lastText.data;
            else if (NON_SPACE.test(lastText.data)) {
              texts.push(lastText.data);
              lastTextListed = true;
            }
            return;
          }
          const node: TextNode = { type: "text", data, parent: null, prev: null, next: null };
          const parent = open[open.length - 1]!;
          node.parent = parent;
          append(node);
          lastText = node;
          lastTextListed = listed && NON_SPACE.test(data);
          if (lastTextListed) texts.push(data);
        },
        oncomment: () => {
          lastText = null;
        },
        onprocessinginstruction: () => {
          lastText = null;
        },
      },
      { decodeEntities: false, lowerCaseAttributeNames: true, lowerCaseTags: true },
    );
    parser.end(html);
    // htmlparser2 closes every element still open at the end, so only the document's own are left.
    closeChildren(this.document);
    allElements.length = elementCount;
    const count = candidateCount;
    this.elements.length = count;
    this.tags.length = count;
    this.attribs.length = count;
    this.hiddenFlags = this.hiddenFlags.subarray(0, count);
    this.depth = this.depth.subarray(0, count);
    this.parentIndex = this.parentIndex.subarray(0, count);
    this.textStart = this.textStart.subarray(0, count);
    this.textEnd = this.textEnd.subarray(0, count);
  }

  /** Doubles the per-element arrays (a page with more elements than its start tags announced). */
  #grow(): void {
    const size = Math.max(64, this.depth.length * 2);
    this.hiddenFlags = grown(this.hiddenFlags, new Uint8Array(size));
    this.depth = grown(this.depth, new Int32Array(size));
    this.parentIndex = grown(this.parentIndex, new Int32Array(size));
    this.textStart = grown(this.textStart, new Int32Array(size));
    this.textEnd = grown(this.textEnd, new Int32Array(size));
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

  /** The descriptor of element i (use `elements[i].descriptor`, which memoises it). */
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

export function parsePage(html: string): ParsedPage {
  const startTags = checkHtml(html);
  const head = html.slice(0, 4096);
  return HAS_DOCUMENT_ELEMENT.test(head)
    ? new ParsedPage(html, startTags)
    : new ParsedPage(`<html><head></head><body>${html}</body></html>`, startTags + 3);
}
