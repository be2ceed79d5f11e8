/**
 * htmlparser2's Parser with interned names, attribute values and texts, for the DOM form (dom.ts).
 *
 * The stock Parser reads every tag name (open and close) and attribute name as a slice of the
 * document, then lower-cases it: two new strings per name even when the name is already lower case.
 * Attribute values and texts are slices too, one string each, although most repeat (class lists,
 * types, button labels, whitespace). A parsed page lives through the whole request, so all of these
 * strings are copied by every young-generation GC that runs meanwhile. Here a name is looked up
 * lower-cased, and a short value or text as it is, in a per-document table straight from the
 * characters of the document (no string built); only its first occurrence allocates it. The
 * callbacks get strings with the very characters the stock Parser gives, so the tree is the same.
 * Non-ASCII or long names, long values and texts, names inside foreign content (svg, math) and a
 * document written in several chunks take the stock path.
 *
 * Attributes are not collected into an object per element either: the stock Parser builds one
 * only when a handler takes `onopentag`, which this one never passes on. The builder keeps each
 * attribute from `onattribute` in flat per-page arrays and is told where a start tag ends by
 * `onOpenTagEnd` (page-builder.ts).
 */
import { type Handler, Parser, type ParserOptions } from "htmlparser2";
import { PageTokenizer } from "./page-tokenizer.ts";
import { DEFAULT_SCOPE, FORMATTING, HEADINGS } from "./tree-rules.ts";

/** What the builder did with a tracked end tag (PageParser.onTrackedEnd). */
export const END_AS_PARSED = 0;
export const END_HANDLED = 1;
export const END_FORGOTTEN = 2;
export type TrackedEnd = typeof END_AS_PARSED | typeof END_HANDLED | typeof END_FORGOTTEN;

const MAX_TRACKED_NAME = 6; // "strike", "strong"
// End tags the builder sees before the stock Parser acts on them.
const TRACKED_END = new Set([...FORMATTING, "form", "body", "html"]);

/** The Parser internals this subclass relies on (htmlparser2 12: see its dist/Parser.js). */
type ParserInternals = {
  buffers: string[];
  bufferOffset: number;
  startIndex: number;
  attribname: string;
  attribvalue: string;
  cbs: { ontext?: (data: string) => void; onclosetag?: (name: string, isImplied: boolean) => void };
  foreignContext: unknown[];
  tagname: string;
  openTagStart: number;
  stack: string[];
  endIndex: number;
  readTagName(start: number, endIndex: number): string;
  popElement(implied: boolean): void;
  emitOpenTag(name: string): void;
  endOpenTag(isImplied: boolean): void;
  isVoidElement(name: string): boolean;
};

/** Longer names are rare (custom attributes) and not worth a table slot. */
const MAX_NAME_LENGTH = 40;
/** Attribute values and texts that repeat (classes, types, labels, whitespace) are short. */
const MAX_VALUE_LENGTH = 64;

/**
 * Strings of one document, looked up by their characters in the source: lower-cased names, or
 * exact values. Open addressing, at most half full; once full it stops adding (bounded work).
 */
class StringTable {
  readonly #slots: (string | undefined)[];
  readonly #mask: number;
  readonly #maxLength: number;
  readonly #lowerCase: boolean;
  #room: number;

  constructor(size: number, maxLength: number, lowerCase: boolean) {
    this.#slots = new Array(size);
    this.#mask = size - 1;
    this.#room = size / 2;
    this.#maxLength = maxLength;
    this.#lowerCase = lowerCase;
  }

  /**
   * source[from, to) (lower-cased ASCII for a name table), interned; null when it is empty, too
   * long, or (names) not plain ASCII: the caller then slices it as the stock Parser does.
   */
  lookup(source: string, from: number, to: number): string | null {
    const length = to - from;
    if (length <= 0 || length > this.#maxLength) return null;
    const lowerCase = this.#lowerCase;
    let hash = 0;
    for (let k = from; k < to; k++) {
      let c = source.charCodeAt(k);
      if (lowerCase) {
        if (c >= 128) return null;
        if (c >= 65 && c <= 90) c += 32;
      }
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    let slot = hash & this.#mask;
    for (;;) {
      const known = this.#slots[slot];
      if (known === undefined) break;
      if (known.length === length && same(known, source, from, lowerCase)) return known;
      slot = (slot + 1) & this.#mask;
    }
    const text = lowerCase ? source.slice(from, to).toLowerCase() : source.slice(from, to);
    if (this.#room > 0) {
      this.#slots[slot] = text;
      this.#room--;
    }
    return text;
  }
}

/** Whether `known` equals source[from, from + known.length), ASCII-lower-cased when `lowerCase`. */
function same(known: string, source: string, from: number, lowerCase: boolean): boolean {
  for (let k = 0; k < known.length; k++) {
    let c = source.charCodeAt(from + k);
    if (lowerCase && c >= 65 && c <= 90) c += 32;
    if (c !== known.charCodeAt(k)) return false;
  }
  return true;
}

/** The stock Parser's own methods, for what the interning path does not handle. */
const stock = Parser.prototype as unknown as ParserInternals & {
  onattribname(start: number, endIndex: number): void;
  onattribdata(start: number, endIndex: number): void;
  ontext(start: number, endIndex: number): void;
  onclosetag(start: number, endIndex: number): void;
  onTrackedEnd: (name: string, open: number) => TrackedEnd;
};
const stockReadTagName = stock.readTagName;
const stockOnAttributeName = stock.onattribname;
const stockOnAttributeData = stock.onattribdata;
const stockOnText = stock.ontext;
const stockEmitOpenTag = stock.emitOpenTag;
const stockOnCloseTag = stock.onclosetag;

/**
 * The interned string of the document's characters [start, endIndex) from `table`, or null (the
 * stock path slices it): the document was written in several chunks, or the table declines it.
 */
function interned(parser: ParserInternals, table: StringTable, start: number, endIndex: number) {
  const buffers = parser.buffers;
  if (buffers.length !== 1) return null;
  return table.lookup(buffers[0]!, start - parser.bufferOffset, endIndex - parser.bufferOffset);
}

/** Expects lowerCaseTags and lowerCaseAttributeNames in HTML mode (what dom.ts passes). */
export class PageParser extends Parser {
  /** Called where the stock Parser would call `onopentag`: the start tag and its attributes are read. */
  readonly onOpenTagEnd: () => void;
  /**
   * An end tag of a formatting element, a form, the body or the html: `open` is where the innermost
   * element of that name is in this parser's stack (0: the current one), -1 for none (the stock
   * Parser ignores such a tag). Whether the stock close follows (END_AS_PARSED) or the builder handled the tag as a
   * browser would (END_HANDLED; END_FORGOTTEN: also take that element off this parser's stack).
   */
  readonly onTrackedEnd: (name: string, open: number) => TrackedEnd;
  /** A start tag was announced (`onopentagname`) and its end not yet reported. */
  opening = false;
  /** The page is in quirks mode (the builder reads its doctype): see emitOpenTag below. */
  quirks = false;

  /**
   * Tokenized by PageTokenizer (the stock states with native scans). `callbacks` must not take
   * `onopentag` (see above): the end of a start tag is reported to `onOpenTagEnd`.
   */
  constructor(
    callbacks: Partial<Handler>,
    options: ParserOptions,
    onOpenTagEnd: () => void,
    onTrackedEnd: (name: string, open: number) => TrackedEnd,
  ) {
    super(callbacks, { ...options, Tokenizer: PageTokenizer });
    this.onOpenTagEnd = onOpenTagEnd;
    this.onTrackedEnd = onTrackedEnd;
  }

  readonly names = new StringTable(1024, MAX_NAME_LENGTH, true);
  /** Attribute values and texts, case kept. */
  readonly values = new StringTable(4096, MAX_VALUE_LENGTH, false);

  override onattribname(start: number, endIndex: number): void {
    const self = this as unknown as ParserInternals;
    const name = interned(self, this.names, start, endIndex);
    if (name === null) stockOnAttributeName.call(this, start, endIndex);
    else {
      self.startIndex = start;
      self.attribname = name;
    }
  }

  /** A value read in one piece (no entity was decoded into it) is interned. */
  override onattribdata(start: number, endIndex: number): void {
    const self = this as unknown as ParserInternals;
    const value = self.attribvalue === "" ? interned(self, this.values, start, endIndex) : null;
    if (value === null) stockOnAttributeData.call(this, start, endIndex);
    else self.attribvalue = value;
  }

  override ontext(start: number, endIndex: number): void {
    const self = this as unknown as ParserInternals;
    const data = interned(self, this.values, start, endIndex);
    if (data === null) {
      stockOnText.call(this, start, endIndex);
      return;
    }
    // What the stock ontext does with the slice.
    this.endIndex = endIndex - 1;
    self.cbs.ontext?.(data);
    this.startIndex = endIndex;
  }
}

// readTagName is private in htmlparser2's types, so it is replaced on the prototype. Outside foreign
// content (the context stack holds only its base entry) the stock method returns the lower-cased
// name, with `image` read as `img`; inside svg or math it adjusts case, so it is left to do that.
(PageParser.prototype as unknown as ParserInternals).readTagName = function readTagName(
  this: ParserInternals & { names: StringTable },
  start: number,
  endIndex: number,
): string {
  const name = this.foreignContext.length === 1 ? interned(this, this.names, start, endIndex) : null;
  if (name === null) return stockReadTagName.call(this, start, endIndex);
  return name === "image" ? "img" : name;
};

// emitOpenTag and endOpenTag are private too. The stock endOpenTag reports a start tag only when it
// collected an attributes object; here whether one was announced is kept in `opening` (a second
// `<form>` is ignored by the stock emitOpenTag, which then leaves tagname empty), and the rest is
// the stock method: void elements close at once.
const patched = PageParser.prototype as unknown as ParserInternals & {
  opening: boolean;
  quirks: boolean;
  onOpenTagEnd: () => void;
  onclosetag(start: number, endIndex: number): void;
  onTrackedEnd: (name: string, open: number) => TrackedEnd;
};
patched.emitOpenTag = function emitOpenTag(name) {
  const { stack } = this;
  // A select start tag inside a select ends it and opens nothing (as `</select>` would).
  if (name === "select") {
    let k = 0;
    while (k < stack.length && (stack[k] === "option" || stack[k] === "optgroup")) k++;
    if (stack[k] === "select") {
      this.openTagStart = this.startIndex;
      for (let j = 0; j < k; j++) this.popElement(true);
      this.popElement(false);
      this.tagname = "";
      this.opening = false;
      return;
    }
  }
  // Where the stock Parser's implied closes go further than a browser's, the element a browser
  // keeps open is hidden from them (renamed for the call): the <p> a table opens in (quirks mode),
  // the button an input or select opens in, the thead a cell opens in (a row is implied there).
  const kept = keptOpen(this, name);
  if (kept < 0) stockEmitOpenTag.call(this, name);
  else {
    const real = stack[kept]!;
    stack[kept] = KEPT;
    stockEmitOpenTag.call(this, name);
    stack[stack.indexOf(KEPT)] = real;
  }
  this.opening = this.tagname !== "";
};

const KEPT = "\u0000kept";
const IN_BUTTON = new Set(["input", "select", "textarea", "output", "datalist"]);
// What the stock Parser's implied closes for those names pass over on the way (its form tags).
const FORM_TAGS = new Set(["input", "option", "optgroup", "select", "button", "datalist", "textarea"]);

/** Where in the stock stack the element a browser keeps open for start tag `name` is, or -1. */
function keptOpen(parser: ParserInternals & { quirks: boolean }, name: string): number {
  const { stack } = parser;
  if (name === "table") return parser.quirks && stack[0] === "p" ? 0 : -1;
  if (name === "td") return stack[0] === "thead" ? 0 : -1;
  if (!IN_BUTTON.has(name)) return -1;
  for (let k = 0; k < stack.length && FORM_TAGS.has(stack[k]!); k++) if (stack[k] === "button") return k;
  return -1;
}

patched.endOpenTag = function endOpenTag() {
  this.startIndex = this.openTagStart;
  if (this.opening) {
    this.opening = false;
    this.onOpenTagEnd();
  }
  if (this.cbs.onclosetag && this.isVoidElement(this.tagname)) this.cbs.onclosetag(this.tagname, true);
  this.tagname = "";
};

/** Whether the two-character end tag name at `start` is h1–h6 (read from the source, no string). */
function isHeadingStart(parser: ParserInternals, start: number): boolean {
  const buffers = parser.buffers;
  if (buffers.length !== 1) return true;
  const at = start - parser.bufferOffset;
  const first = buffers[0]!.charCodeAt(at) | 0x20;
  const digit = buffers[0]!.charCodeAt(at + 1);
  return first === 0x68 && digit >= 0x31 && digit <= 0x36;
}

// A heading's end tag closes whichever heading is open (`<h5>…</h3>` ends the h5), as browsers do;
// the stock Parser ignores an end tag whose own name is not open.
patched.onclosetag = function onclosetag(start: number, endIndex: number) {
  if (endIndex - start === 2 && isHeadingStart(this, start)) {
    const name = this.readTagName(start, endIndex);
    if (HEADINGS.has(name) && !this.stack.includes(name)) {
      let open = -1;
      for (let k = 0; k < this.stack.length && open < 0; k++) {
        if (HEADINGS.has(this.stack[k]!)) open = k;
        else if (DEFAULT_SCOPE.has(this.stack[k]!)) break;
      }
      if (open >= 0) {
        this.endIndex = endIndex;
        for (let k = 0; k < open; k++) this.popElement(true);
        this.popElement(false);
        this.startIndex = endIndex + 1;
        return;
      }
    }
  }
  // `</b>` after a block ended the <b> (`<p><b>x<p>y</b>`): a browser ends the <b> it reopened,
  // and nothing else, where the stock Parser would close every element opened after its <b>.
  // `</form>` whose form a browser does not have open is ignored; the stock Parser's form may then
  // be forgotten without closing what it holds.
  if (endIndex - start <= MAX_TRACKED_NAME) {
    const name = this.readTagName(start, endIndex);
    if (TRACKED_END.has(name)) {
      const open = this.stack.indexOf(name);
      const outcome = this.onTrackedEnd(name, open);
      if (outcome !== END_AS_PARSED) {
        if (outcome === END_FORGOTTEN) this.stack.splice(open, 1);
        this.endIndex = endIndex;
        this.startIndex = endIndex + 1;
        return;
      }
    }
  }
  stockOnCloseTag.call(this, start, endIndex);
};
