/**
 * The open elements of the page being built, kept as a browser's HTML parser keeps them, and the
 * document-level rules around them: the html, head and body a page leaves out, the form a page may
 * open only one of, scopes (docs/heal-model.md, "The page as the browser builds it").
 * browser-tree.ts extends it with where each start tag opens and the formatting elements.
 *
 * htmlparser2's stack is mirrored in `entries`: one per element it has open, the node here, or
 * PHANTOM where a browser drops the start tag or has ended the element already. When htmlparser2
 * later closes an element, the node it stands for ends with whatever implied elements are still open
 * inside it; a PHANTOM's close ends nothing.
 */
import { isQuirksDoctype } from "./doctype.ts";
import { NONE, type PageNodes } from "./page-arrays.ts";
import { END_AS_PARSED, END_FORGOTTEN, END_HANDLED, type TrackedEnd } from "./page-parser.ts";
import {
  BUTTON_SCOPE,
  DEFAULT_SCOPE,
  HEAD_CONTENT,
  IMPLIED_END,
  LIST_ITEM_BARRIERS,
  PLAIN,
  ROW_ENDERS,
  TABLE_BOUNDARIES,
  TABLE_PARTS,
  TABLE_SECTIONS,
} from "./tree-rules.ts";

export const PHANTOM = -2;
const IN_SELECT = new Set(["select", "option", "optgroup"]);
const CELLS = new Set(["td", "th", "caption"]);

export abstract class OpenElements {
  protected abstract readonly nodes: PageNodes;
  // Open elements: node id (NONE: the document) and whether this builder implied it (a tbody the
  // markup leaves out: htmlparser2 never closes it, its parent's end does).
  protected readonly open: number[] = [NONE];
  protected readonly implied: boolean[] = [false];
  // Inside script, style, head, template…: elements are kept for selectors, never candidates.
  protected skipped = 0;
  protected readonly entries: number[] = [];
  // Per open element, its place in entries (-1: implied), and what its close undoes (tree-rules.ts
  // KINDS).
  protected readonly entryOf: number[] = [-1];
  protected readonly kinds: number[] = [PLAIN];
  // The document's html, head and body elements (NONE until opened or implied); open <p> elements.
  protected htmlNode = NONE;
  protected headNode = NONE;
  protected bodyNode = NONE;
  protected openParagraphs = 0;
  // The standard's form element pointer: the last form opened, until a `</form>` tag. While it is
  // set a browser drops every other `<form>` start tag, even once that form has ended (a `</td>`
  // ends a form opened in the cell; the next row's `<form>` is then no element at all).
  protected formPointer = NONE;
  // The page's doctype asks for quirks mode (doctype.ts): a `<table>` does not end an open `<p>`.
  protected quirks = false;

  // Foster parenting: the table the next node goes before instead of into the current element
  // (NONE: into it); the fostered elements still open; whether
  // a candidate was made out of document order (fostered, or a copy made around what an element
  // held: the builder then numbers the candidates in document order again, document-order.ts).
  protected fosterBefore = NONE;
  protected readonly fosterRoots = new Set<number>();
  protected reordered = false;

  /** Opens an element the markup leaves out (no attributes) before the one being read. */
  protected abstract imply(name: string): void;
  /** Ends the innermost open element (calls `closed`). */
  protected abstract closeElement(): void;
  /** A tag ends the text node being extended. */
  protected abstract breakText(): void;
  /**
   * Open element `at` (a form) leaves the open elements while those open inside it stay open: the
   * builder's own per-open-element state (what opens from now on is inside it all the same, so the
   * page is renumbered once built: `reordered`).
   */
  protected abstract liftOut(at: number): void;

  /** A doctype (`!DOCTYPE …`): it sets the mode when it comes before the document's first element. */
  protected doctype(declaration: string) {
    if (this.htmlNode === NONE) this.quirks = isQuirksDoctype(declaration);
  }

  /**
   * `</form>` (`inParser`: where htmlparser2's innermost form is in its stack, -1: none). Inside a
   * select it is ignored. Otherwise the pointer is cleared, then as a browser does:
   * - no form open (dropped, or ended by a cell, a table…): the tag is ignored;
   * - a table or cell opened inside the form: the tag is ignored, and the form ends with the element
   *   around it (as an implied element does);
   * - open elements inside it other than those an end tag implies (`<form><div></form>`): the form
   *   leaves the open elements and they stay open, so what follows is still inside them;
   * - otherwise the form ends with them as htmlparser2 ends it (END_AS_PARSED).
   */
  protected formEndTag(inParser: number): TrackedEnd {
    const { nodes, open } = this;
    // In a select, a browser ignores the tag altogether (the pointer stays).
    for (let j = open.length - 1; j >= 1 && IN_SELECT.has(nodes.names[open[j]!]!); j--)
      if (nodes.names[open[j]!] === "select") return END_HANDLED;
    this.formPointer = NONE;
    if (inParser < 0) return END_AS_PARSED;
    const at = this.entries.length - 1 - inParser;
    const node = this.entries[at]!;
    if (node === PHANTOM) {
      this.forgetEntry(at);
      return END_FORGOTTEN;
    }
    const k = open.lastIndexOf(node);
    let plain = true;
    for (let j = open.length - 1; j > k; j--) {
      const name = nodes.names[open[j]!]!;
      if (DEFAULT_SCOPE.has(name)) {
        // Not in scope: the form stays open until an element around it ends.
        this.entryOf[k] = -1;
        this.forgetEntry(at);
        return END_FORGOTTEN;
      }
      if (!IMPLIED_END.has(name)) plain = false;
    }
    if (plain) return END_AS_PARSED;
    while (IMPLIED_END.has(nodes.names[open[open.length - 1]!]!)) this.endEarly(open[open.length - 1]!);
    this.breakText();
    this.liftOut(k);
    this.takeOutOfOpen(k);
    this.forgetEntry(at);
    return END_FORGOTTEN;
  }

  /**
   * The next node, an element or text written in table structure outside any cell, goes before
   * the innermost open table, as a browser moves it (the standard's foster parenting).
   */
  protected fosterNext() {
    const { open, nodes } = this;
    let at = open.length - 1;
    while (at > 1 && nodes.names[open[at]!] !== "table") at--;
    this.fosterBefore = open[at]!;
    this.reordered = true;
  }

  /**
   * A table part's start tag while fostered elements are open right above the innermost table:
   * they end, and the part opens in the table (the standard's "clear the stack back to a table
   * context"; a table or cell opened inside a fostered element keeps its own parts).
   */
  protected endFostered() {
    const { open, nodes } = this;
    let outermost = -1;
    for (let k = open.length - 1; k >= 1 && !TABLE_BOUNDARIES.has(nodes.names[open[k]!]!); k--)
      if (this.fosterRoots.has(open[k]!)) outermost = k;
    if (outermost >= 0) this.endEarly(open[outermost]!);
  }

  /**
   * Where in `open` the table is whose rules a browser applies to the next start tag: the innermost
   * open table with no cell, caption or template open inside it (-1: none); with `cell`, the
   * innermost open cell or caption with no table or template open inside it. Elements fostered
   * before it do not change that (they are read by the body's rules, in the table's mode).
   */
  protected tableInMode(cell = false): number {
    const { open, nodes } = this;
    for (let k = open.length - 1; k >= 1; k--) {
      const name = nodes.names[open[k]!]!;
      if (TABLE_BOUNDARIES.has(name)) return (cell ? CELLS.has(name) : name === "table") ? k : -1;
    }
    return -1;
  }

  /**
   * A ruby part's start tag (`rb`, `rt`, `rp`, `rtc`) inside a ruby ends the parts still open
   * before it (and what an end tag implies), as a browser does; `rt` and `rp` leave an `rtc` open.
   */
  protected endRubyParts(name: string) {
    const { open, nodes } = this;
    let k = open.length - 1;
    while (k >= 1 && nodes.names[open[k]!] !== "ruby" && !DEFAULT_SCOPE.has(nodes.names[open[k]!]!)) k--;
    if (k < 1 || nodes.names[open[k]!] !== "ruby") return;
    for (;;) {
      const top = nodes.names[open[open.length - 1]!]!;
      if (!IMPLIED_END.has(top) || (top === "rtc" && (name === "rt" || name === "rp"))) return;
      this.endEarly(open[open.length - 1]!);
    }
  }

  /** Takes open element `at` off the open elements (not ending it); its place in entries, or -1. */
  protected takeOutOfOpen(at: number): number {
    this.open.splice(at, 1);
    this.kinds.splice(at, 1);
    this.implied.splice(at, 1);
    return this.entryOf.splice(at, 1)[0]!;
  }

  /** htmlparser2 forgets its element at `at` in entries (the parser splices its stack alike). */
  protected forgetEntry(at: number) {
    this.entries.splice(at, 1);
    for (let k = 0; k < this.entryOf.length; k++) if (this.entryOf[k]! > at) this.entryOf[k]!--;
  }

  /**
   * Start tags a browser drops: a second html, head or body; a table part outside a table; a form
   * while the form pointer is set.
   */
  protected ignores(name: string): boolean {
    if (name === "html") return this.htmlNode !== NONE;
    if (name === "head") return this.headNode !== NONE;
    if (name === "body") return this.bodyNode !== NONE;
    if (this.skipped > 0) return false;
    if (name === "form") return this.formPointer !== NONE;
    if (!TABLE_PARTS.has(name)) return false;
    const { open, nodes } = this;
    for (let k = open.length - 1; k >= 1; k--) if (nodes.names[open[k]!] === "table") return false;
    return true;
  }

  /**
   * Before the body: implies the html element, the head (a browser always has one), and the body
   * once something that does not belong in the head arrives (`name`: a start tag, or "#text").
   */
  protected placeInDocument(name: string) {
    for (;;) {
      const top = this.open[this.open.length - 1]!;
      if (top === NONE) {
        if (name === "html") return;
        this.imply("html");
        continue;
      }
      if (top === this.headNode) {
        if (HEAD_CONTENT.has(name)) return;
        this.endEarly(top);
        continue;
      }
      if (top !== this.htmlNode) return;
      if (this.headNode === NONE) {
        if (name === "head") return;
        this.imply("head");
        continue;
      }
      // Head content after the head's end stays outside the body (a browser puts it back in the
      // head; it is never a candidate either way), except a noscript, which opens the body.
      if (name === "body" || name === "frameset" || (HEAD_CONTENT.has(name) && name !== "noscript")) return;
      this.imply("body");
      return;
    }
  }

  /**
   * An implied tbody, row or colgroup (a colgroup also when written) ends where the markup moves
   * on to what cannot be in it.
   */
  protected endImpliedWrappers(name: string) {
    for (;;) {
      const top = this.open.length - 1;
      const wrapper = this.nodes.names[this.open[top]!];
      // A colgroup holds cols only, written or implied.
      if (wrapper === "colgroup" && name !== "col" && name !== "template" && !this.implied[top]) {
        this.endEarly(this.open[top]!);
        continue;
      }
      if (!this.implied[top]) return;
      const ends =
        (wrapper === "tbody" && TABLE_SECTIONS.has(name)) ||
        (wrapper === "tr" && ROW_ENDERS.has(name)) ||
        (wrapper === "colgroup" && name !== "col");
      if (!ends) return;
      this.breakText();
      this.closeElement();
    }
  }

  /** Where in the open elements a `<p>` in button scope is, or -1. */
  protected paragraphInScope(): number {
    const { open, nodes } = this;
    if (this.openParagraphs === 0) return -1;
    for (let k = open.length - 1; k >= 1; k--) {
      const name = nodes.names[open[k]!]!;
      if (name === "p") return k;
      if (BUTTON_SCOPE.has(name)) return -1;
    }
    return -1;
  }

  /** A new list item ends an open one (`peers`) unless a barrier (a nested list…) comes first. */
  protected closeListItem(peers: ReadonlySet<string>) {
    const { open, nodes } = this;
    for (let k = open.length - 1; k >= 1; k--) {
      const name = nodes.names[open[k]!]!;
      if (peers.has(name)) return this.endEarly(open[k]!);
      if (LIST_ITEM_BARRIERS.has(name)) return;
    }
  }

  /** Ends open element `node` (and all open inside it) before htmlparser2 does. */
  protected endEarly(node: number) {
    this.breakText();
    while (this.open.length > 1) {
      const top = this.open[this.open.length - 1]!;
      const entry = this.entryOf[this.entryOf.length - 1]!;
      if (entry >= 0) this.entries[entry] = PHANTOM;
      this.closeElement();
      if (top === node) return;
    }
  }

  /** Notes the document's html, head and body elements. */
  protected noteDocumentElement(name: string, id: number) {
    const parent = this.nodes.parent[id]!;
    if (name === "html" && parent === NONE) this.htmlNode = id;
    else if (parent === this.htmlNode && parent !== NONE) {
      if (name === "head") this.headNode = id;
      else if (name === "body") this.bodyNode = id;
    }
  }
}
