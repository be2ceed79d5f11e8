/**
 * The light tree of the DOM form (see dom.ts): domhandler-shaped nodes built from a parsed page's
 * arrays when a whole-document walk needs them (page-tree.ts), the lazily described Element, and
 * the text helpers and tag sets the page builder and the descriptors share.
 */
import type { AnyNode, Element as DomhandlerElement } from "domhandler";
import type { Parser } from "htmlparser2";
import type { ElementDescriptor } from "./types.ts";

/** What an Element asks the page it belongs to (dom.ts ParsedPage): its descriptor, whether hidden. */
export type Describer = {
  descriptorOf(index: number): ElementDescriptor;
  readonly hiddenFlags: Uint8Array;
};

/**
 * A text node of the light tree (domhandler-shaped). A class, so `type` lives on the prototype:
 * one field less on each of a big page's thousands of text nodes.
 */
export class TextNode {
  data: string;
  parent: ParentNode | null;
  prev: ChildNode | null = null;
  next: ChildNode | null = null;

  constructor(data: string, parent: ParentNode) {
    this.data = data;
    this.parent = parent;
  }

  get type(): "text" {
    return "text";
  }
}
export type Root = { type: "root"; children: ChildNode[]; parent: null; prev: null; next: null };
export type ChildNode = Element | TextNode;

/** Leaves share one (never mutated) children array; the first child replaces it. */
export const NO_CHILDREN: ChildNode[] = [];
export type ParentNode = Element | Root;

/** The light tree seen through domhandler's types, for css-select / domutils (same shape). */
export function asDomhandler(node: Root | Element): AnyNode {
  return node as unknown as AnyNode;
}

/** A css-select / domutils result mapped back to the light tree. */
export function fromDomhandler(elements: readonly DomhandlerElement[]): Element[] {
  return elements as unknown as Element[];
}

/** A candidate of the page: its node, its (lazily built) descriptor, and whether it is hidden. */
export type PageElement = {
  element: Element;
  descriptor: ElementDescriptor;
  /** Hidden itself or inside a hidden ancestor. */
  hidden: boolean;
};

/** Longer texts add nothing to similarity and cost time; containers are truncated. */
export const TEXT_LIMIT = 200;
export const NEIGHBOR_LIMIT = 80;
export const SKIPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "meta",
  "link",
  "title",
  "base",
]);
export const NOT_CANDIDATES = new Set(["html", "body"]);
/**
 * Phrasing elements a browser lays out inline by default: their text joins their neighbours' without
 * a space, as `innerText` (what the SDK sends as a target's text) and locators read it, so
 * `Token<wbr>Tree` is "TokenTree" and `<a>proc_<wbr>macro</a><span>1.95</span>` "proc_macro1.95".
 * Any other element is read as a block, its text set apart by spaces.
 */
export const INLINE = new Set([
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
  "wbr",
  "img",
  "kbd",
  "var",
  "samp",
  "cite",
  "q",
  "s",
  "del",
  "ins",
  "dfn",
  "time",
  "data",
  "bdi",
  "bdo",
  "font",
  "big",
  "tt",
  "strike",
  "acronym",
  "nobr",
]);
export const LABELLABLE = new Set(["input", "select", "textarea", "button", "meter", "progress", "output"]);
export const NON_SPACE = /\S/;

/** Flags of spacedEdges: the text starts, or ends, with a space. */
export const LEADING_SPACE = 1;
export const TRAILING_SPACE = 2;

/** Whether a text (before collapsing) starts or ends with a space: LEADING_SPACE | TRAILING_SPACE. */
export function spacedEdges(raw: string): number {
  if (raw === "") return 0;
  return (
    (isSpace(raw.charCodeAt(0)) ? LEADING_SPACE : 0) |
    (isSpace(raw.charCodeAt(raw.length - 1)) ? TRAILING_SPACE : 0)
  );
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13 || c === 160;
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function escapeXpathLiteral(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/**
 * A tag name lower-cased without a new string when it already is (the parser lower-cases tag names;
 * only svg/math names keep capitals): toLowerCase builds a copy even of a lower-case string.
 */
export function lowerName(name: string): string {
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if ((c >= 65 && c <= 90) || c >= 128) return name.toLowerCase();
  }
  return name;
}

export function isElementNode(node: ChildNode): node is Element {
  return node.type !== "text";
}

/** The tokenizer state htmlparser2 itself consults to decide whether text is decoded. */
type TokenizerState = { isSpecial: boolean; currentSequence: Uint8Array };

/**
 * Whether the text being reported sits in a raw-text element (script, style, iframe, noembed,
 * noframes, plaintext, xmp), whose text htmlparser2 never decodes; title and textarea (RCDATA, their
 * end sequences "</t…") are decoded like ordinary text.
 */
export function inRawText(parser: Parser): boolean {
  const tokenizer = (parser as unknown as { tokenizer: TokenizerState }).tokenizer;
  return tokenizer.isSpecial && tokenizer.currentSequence[2] !== 0x74;
}

/**
 * An element of the light tree. Its fields have domhandler's shape (type, name, attribs, children,
 * parent, prev, next) so css-select and domutils work on it; a candidate (`index` ≥ 0) is also its
 * own PageElement. The tree is built from the page's arrays only when a whole-page walk needs it
 * (page-tree.ts); a heal reads the arrays (docs/heal-model.md "Cost of the DOM form").
 */
export class Element implements PageElement {
  name: string;
  attribs: Record<string, string>;
  children: ChildNode[] = NO_CHILDREN;
  parent: ParentNode | null;
  prev: ChildNode | null = null;
  next: ChildNode | null = null;
  /** Candidate index in the page, or -1 (html, body, head, scripts…). */
  readonly index: number;
  /** Node id in the page's arrays (page-arrays.ts). */
  readonly id: number;
  readonly #page: Describer;

  constructor(
    page: Describer,
    id: number,
    index: number,
    name: string,
    attribs: Record<string, string>,
    parent: ParentNode | null,
  ) {
    this.#page = page;
    this.id = id;
    this.index = index;
    this.name = name;
    this.attribs = attribs;
    this.parent = parent;
  }

  get type(): "tag" | "script" | "style" {
    return elementType(this.name);
  }

  get element(): Element {
    return this;
  }

  /** Hidden itself or inside a hidden ancestor (only candidates are ever hidden). */
  get hidden(): boolean {
    return this.index >= 0 && this.#page.hiddenFlags[this.index] === 1;
  }

  get descriptor(): ElementDescriptor {
    return this.#page.descriptorOf(this.index);
  }
}

/** domhandler's node type of an element named `name`. */
export function elementType(name: string): "tag" | "script" | "style" {
  return name === "script" ? "script" : name === "style" ? "style" : "tag";
}
