/**
 * htmlparser2's Tokenizer with its per-character scans done in tight loops, for the DOM form's
 * parser (page-parser.ts). Same states, same callbacks at the same indices: only how far the
 * tokenizer skips ahead in one step changes.
 *
 * The stock Tokenizer calls a state method for every character of the document. Where a state
 * ignores every character but one (text and attribute values up to `<` or the quote, since the DOM
 * form decodes entities itself; comments, raw text) it "fast-forwards" with a charCodeAt loop;
 * here that is the string's native indexOf. Tag and attribute names are read to their end in one
 * loop instead of one state call per character. A document written in several chunks is scanned
 * within the current chunk, as the stock methods do.
 */
import { Tokenizer } from "htmlparser2";

/** The Tokenizer internals this subclass relies on (htmlparser2 12: see its dist/Tokenizer.js). */
type TokenizerInternals = {
  buffer: string;
  index: number;
  offset: number;
};

const stock = Tokenizer.prototype as unknown as {
  stateInTagName(c: number): void;
  stateInClosingTagName(c: number): void;
  stateInAttributeName(c: number): void;
};
const stockInTagName = stock.stateInTagName;
const stockInClosingTagName = stock.stateInClosingTagName;
const stockInAttributeName = stock.stateInAttributeName;

/** Whitespace as the Tokenizer reads it (space, \n, \t, \f, \r). */
function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
}

/** `/`, `>` or whitespace: where the Tokenizer ends a tag or attribute name. */
function isEndOfTagSection(c: number): boolean {
  return c === 47 || c === 62 || isWhitespace(c);
}

/**
 * Moves the tokenizer to the first character at or after its index that ends a name (`=` too for
 * an attribute name) and returns it, or -1 with the index on the chunk's last character (the parse
 * loop then steps past its end, as after the stock per-character calls).
 */
function skipName(self: TokenizerInternals, c: number, attribute: boolean): number {
  if (isEndOfTagSection(c) || (attribute && c === 61)) return c;
  const buffer = self.buffer;
  const end = buffer.length;
  let at = self.index - self.offset + 1;
  while (at < end) {
    const next = buffer.charCodeAt(at);
    if (isEndOfTagSection(next) || (attribute && next === 61)) {
      self.index = at + self.offset;
      return next;
    }
    at++;
  }
  self.index = end + self.offset - 1;
  return -1;
}

/** Expects decodeEntities off (what dom.ts passes): text and values are then skipped to `<` or the quote. */
export class PageTokenizer extends Tokenizer {}

// The state methods are private in htmlparser2's types, so they are replaced on the prototype.
const own = PageTokenizer.prototype as unknown as {
  fastForwardTo(this: TokenizerInternals, c: number): boolean;
  stateInTagName(this: TokenizerInternals, c: number): void;
  stateInClosingTagName(this: TokenizerInternals, c: number): void;
  stateInAttributeName(this: TokenizerInternals, c: number): void;
};

/** The stock loop compares every character; indexOf finds the next `c` natively. */
own.fastForwardTo = function fastForwardTo(c) {
  const at = this.buffer.indexOf(String.fromCharCode(c), this.index - this.offset + 1);
  if (at >= 0) {
    this.index = at + this.offset;
    return true;
  }
  this.index = this.buffer.length + this.offset - 1;
  return false;
};
own.stateInTagName = function stateInTagName(c) {
  const end = skipName(this, c, false);
  if (end >= 0) stockInTagName.call(this, end);
};
own.stateInClosingTagName = function stateInClosingTagName(c) {
  const end = skipName(this, c, false);
  if (end >= 0) stockInClosingTagName.call(this, end);
};
own.stateInAttributeName = function stateInAttributeName(c) {
  const end = skipName(this, c, true);
  if (end >= 0) stockInAttributeName.call(this, end);
};
