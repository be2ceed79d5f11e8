/**
 * DOM form: parse HTML once and describe elements the way the SDK would in a browser
 * (minus layout: there is no rect server-side).
 *
 * One iterative pass records, per element, only integers and references (tag, parent, hidden,
 * depth, the span of visible text nodes it covers). Descriptors (xpath, idXpath, text, neighbour
 * text, label) are built lazily and memoised, because healing a 10k-node page fully describes
 * only the few hundred elements that survive the cheap shortlist (see shortlist.ts).
 */
import type { ChildNode, Document, Element } from "domhandler";
import { parseDocument } from "htmlparser2";
import type { ElementDescriptor } from "./types.ts";
import { isHiddenByAttributes } from "./visibility.ts";

export type PageElement = {
  element: Element;
  descriptor: ElementDescriptor;
  /** Hidden itself or inside a hidden ancestor. */
  hidden: boolean;
  parent: number;
};

/** Longer texts add nothing to similarity and cost time; containers are truncated. */
const TEXT_LIMIT = 200;
const NEIGHBOR_LIMIT = 80;
const SKIPPED = new Set(["script", "style", "noscript", "template", "head", "meta", "link", "title", "base"]);
const NOT_CANDIDATES = new Set(["html", "body"]);
const INLINE = new Set([
  "span",
  "b",
  "i",
  "em",
  "strong",
  "small",
  "code",
  "a",
  "label",
  "abbr",
  "mark",
  "sub",
  "sup",
  "u",
]);
export const LABELLABLE = new Set(["input", "select", "textarea", "button", "meter", "progress", "output"]);
const NON_SPACE = /\S/;

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function cap(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

function escapeXpathLiteral(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

function isElementNode(node: ChildNode): node is Element {
  return node.type === "tag" || node.type === "script" || node.type === "style";
}

class LazyPageElement implements PageElement {
  readonly element: Element;
  readonly hidden: boolean;
  readonly parent: number;
  readonly #page: ParsedPage;
  readonly #index: number;
  #descriptor: ElementDescriptor | undefined;

  constructor(page: ParsedPage, index: number, element: Element, hidden: boolean, parent: number) {
    this.#page = page;
    this.#index = index;
    this.element = element;
    this.hidden = hidden;
    this.parent = parent;
  }

  get descriptor(): ElementDescriptor {
    this.#descriptor ??= this.#page.describe(this.#index);
    return this.#descriptor;
  }
}

/**
 * A parsed page. `elements` are the candidates in document order (inside body; never html/head/body,
 * scripts or styles); the typed per-element arrays are for the shortlist's linear pass.
 */
export class ParsedPage {
  readonly document: Document;
  readonly elements: PageElement[] = [];
  readonly indexOf = new Map<Element, number>();
  /** Lower-case tag per element. */
  readonly tags: string[] = [];
  readonly attribs: Record<string, string>[] = [];
  readonly hiddenFlags: Uint8Array;
  readonly depth: Int32Array;
  /** Visible, non-blank text nodes in document order (raw). Element i covers [textStart[i], textEnd[i]). */
  readonly texts: string[] = [];
  readonly textStart: Int32Array;
  readonly textEnd: Int32Array;
  /** Every element node of the document (incl. head, scripts, html, body), for selector uniqueness. */
  readonly allElements: Element[] = [];
  readonly #labelFor = new Map<string, Element>();
  readonly #ownText: (string | undefined)[] = [];
  readonly #xpath: (string | undefined)[] = [];
  readonly #idXpath: (string | undefined)[] = [];
  readonly #position = new Map<Element, number>();

  constructor(html: string) {
    this.document = parseDocument(html, { decodeEntities: true, lowerCaseAttributeNames: true });
    const parents: number[] = [];
    const hidden: number[] = [];
    const depths: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    // Pre-order walk with an explicit stack (a pathological, deeply nested page must not overflow
    // the call stack). A negative entry closes element ~entry.
    const nodes: (ChildNode | null)[] = [];
    const owner: number[] = [];
    const hiddenStack: boolean[] = [];
    const depthStack: number[] = [];
    const push = (children: ChildNode[], parent: number, isHidden: boolean, depth: number) => {
      for (let i = children.length - 1; i >= 0; i--) {
        nodes.push(children[i]!);
        owner.push(parent);
        hiddenStack.push(isHidden);
        depthStack.push(depth);
      }
    };
    push(this.document.children, -1, false, 0);
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const parent = owner.pop()!;
      const inHidden = hiddenStack.pop()!;
      const depth = depthStack.pop()!;
      if (node === null) {
        ends[parent] = this.texts.length;
        continue;
      }
      if (node.type === "text") {
        if (!inHidden && NON_SPACE.test(node.data)) this.texts.push(node.data);
        continue;
      }
      if (!isElementNode(node)) continue;
      this.allElements.push(node);
      const tag = node.name.toLowerCase();
      if (node.type !== "tag" || SKIPPED.has(tag)) {
        this.#collectSkipped(node);
        continue;
      }
      const attributes = node.attribs;
      const isHidden = inHidden || isHiddenByAttributes(tag, attributes);
      if (tag === "label" && attributes.for) this.#labelFor.set(attributes.for, node);
      let index = parent;
      if (!NOT_CANDIDATES.has(tag)) {
        index = this.elements.length;
        this.elements.push(new LazyPageElement(this, index, node, isHidden, parent));
        this.indexOf.set(node, index);
        this.tags.push(tag);
        this.attribs.push(attributes);
        parents.push(parent);
        hidden.push(isHidden ? 1 : 0);
        depths.push(depth);
        starts.push(this.texts.length);
        ends.push(0);
        nodes.push(null);
        owner.push(index);
        hiddenStack.push(false);
        depthStack.push(0);
      }
      push(node.children, index, isHidden, depth + 1);
    }
    this.hiddenFlags = Uint8Array.from(hidden);
    this.depth = Int32Array.from(depths);
    this.textStart = Int32Array.from(starts);
    this.textEnd = Int32Array.from(ends);
  }

  /** Elements inside head, script, template…: never candidates, but selectors must not match them. */
  #collectSkipped(root: Element) {
    const stack: ChildNode[] = [...root.children];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (!isElementNode(node)) continue;
      this.allElements.push(node);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }

  /** 1-based position among same-name element siblings (XPath `tag[n]`, CSS `:nth-of-type(n)`). */
  positionOf(element: Element): number {
    const known = this.#position.get(element);
    if (known !== undefined) return known;
    const siblings = element.parent?.children ?? [element];
    const counts = new Map<string, number>();
    for (const sibling of siblings) {
      if (!isElementNode(sibling)) continue;
      const name = sibling.name.toLowerCase();
      const position = (counts.get(name) ?? 0) + 1;
      counts.set(name, position);
      this.#position.set(sibling, position);
    }
    return this.#position.get(element) ?? 1;
  }

  /** Absolute indexed xpath, e.g. /html[1]/body[1]/div[2]/a[1]. */
  xpathOf(element: Element): string {
    const index = this.indexOf.get(element);
    if (index !== undefined) {
      const known = this.#xpath[index];
      if (known !== undefined) return known;
    }
    const parent = element.parent;
    const prefix = parent && parent.type !== "root" ? this.xpathOf(parent as Element) : "";
    const xpath = `${prefix}/${element.name.toLowerCase()}[${this.positionOf(element)}]`;
    if (index !== undefined) this.#xpath[index] = xpath;
    return xpath;
  }

  /** Xpath anchored at the nearest ancestor-or-self with an id, or "". */
  idXpathOf(element: Element): string {
    const index = this.indexOf.get(element);
    if (index !== undefined) {
      const known = this.#idXpath[index];
      if (known !== undefined) return known;
    }
    let idXpath: string;
    const id = element.attribs.id;
    if (id) idXpath = `//*[@id=${escapeXpathLiteral(id)}]`;
    else {
      const parent = element.parent;
      const prefix = parent && parent.type !== "root" ? this.idXpathOf(parent as Element) : "";
      idXpath = prefix ? `${prefix}/${element.name.toLowerCase()}[${this.positionOf(element)}]` : "";
    }
    if (index !== undefined) this.#idXpath[index] = idXpath;
    return idXpath;
  }

  /**
   * Visible text of element i, whitespace collapsed, block children separated by spaces, capped.
   * Memoised; computed with an explicit stack so deep pages cannot overflow.
   */
  textOf(i: number): string {
    const known = this.#ownText[i];
    if (known !== undefined) return known;
    const stack: { index: number; child: number; text: string }[] = [{ index: i, child: 0, text: "" }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const children = this.elements[frame.index]!.element.children;
      if (frame.text.length >= TEXT_LIMIT || frame.child >= children.length) {
        const text = this.hiddenFlags[frame.index] ? "" : cap(collapse(frame.text), TEXT_LIMIT);
        this.#ownText[frame.index] = text;
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
        const childText = this.#ownText[childIndex];
        if (childText === undefined) {
          stack.push({ index: childIndex, child: 0, text: "" });
          continue;
        }
        frame.text += INLINE.has(this.tags[childIndex]!) ? childText : ` ${childText} `;
        frame.child++;
      } else frame.child++;
    }
    return this.#ownText[i]!;
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
    const attributes = this.attribs[i]!;
    if (!LABELLABLE.has(this.tags[i]!) || attributes["aria-label"]) return "";
    let label: Element | undefined = attributes.id ? this.#labelFor.get(attributes.id) : undefined;
    if (!label) {
      let parent = this.elements[i]!.parent;
      while (parent >= 0 && !label) {
        if (this.tags[parent] === "label") label = this.elements[parent]!.element;
        parent = this.elements[parent]!.parent;
      }
    }
    if (!label) return "";
    const labelIndex = this.indexOf.get(label);
    return labelIndex === undefined ? "" : this.textOf(labelIndex);
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

export function parsePage(html: string): ParsedPage {
  return new ParsedPage(html);
}
