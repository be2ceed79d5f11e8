/**
 * Where the page builder (page-builder.ts) puts each element, on top of htmlparser2's tokenizer and
 * its own simpler stack, and of the open elements kept as a browser keeps them (open-elements.ts;
 * docs/heal-model.md, "The page as the browser builds it"). The builder creates and ends the nodes;
 * this class decides where a start tag opens, what it ends first, and what an end tag ends, and
 * keeps the list of active formatting elements.
 */
import { NON_SPACE } from "./dom-nodes.ts";
import { OpenElements, PHANTOM } from "./open-elements.ts";
import { NONE, sameElement } from "./page-arrays.ts";
import { END_AS_PARSED, END_FORGOTTEN, END_HANDLED, type TrackedEnd } from "./page-parser.ts";
import {
  CLOSES_P,
  DEFAULT_SCOPE,
  FORMATTING_KIND,
  KINDS,
  LIST_ITEM_PEERS,
  MARKER_KIND,
  NO_RECONSTRUCT,
  NO_RECONSTRUCT_INSIDE,
  PARAGRAPH,
  PLAIN,
  RUBY_PARTS,
  SPECIAL_BLOCKS,
  STAYS_IN_TABLE,
  TABLE_CONTEXT,
  TABLE_PARTS,
} from "./tree-rules.ts";

const MARKER = -3;
// A browser keeps at most three equal formatting elements in the list; this builder also keeps
// at most this many in all, so a page of thousands left open cannot make every text reopen them.
const MAX_FORMATTING = 32;
// Reopened copies per page: a page of many formatting elements left open, each reopened in
// thousands of blocks, would otherwise grow without bound (a browser's tree would).
const MAX_REOPENED = 20_000;

export abstract class BrowserTree extends OpenElements {
  // The standard's list of active formatting elements (node ids, MARKER at a cell, caption…), and
  // which of them are open.
  private readonly formatting: number[] = [];
  private readonly openFormatting = new Set<number>();
  private reopenedLeft = MAX_REOPENED;
  // The element just opened is to end at once (a `<form>` in table structure).
  protected endAtOnce = false;

  /**
   * The element open at `at` in `open` ends, and the element open just inside it moves out to its
   * parent, right after it (the builder's own per-open-element state; this class updates its own).
   */
  protected abstract moveOutOf(at: number): void;
  /** Adds an empty element with the name and attributes of `original` just before node `before`. */
  protected abstract copyBefore(original: number, before: number): void;
  /**
   * Adds an element with the name and attributes of `original` as the only child of open element
   * `block`, holding what the block held; it opens at `at` in `open`, right above the block (a
   * candidate made out of document order: `reordered`).
   */
  protected abstract wrapChildren(block: number, original: number, at: number): number;
  /** The start tag being read is `<input type="hidden">`. */
  protected abstract pendingHiddenInput(): boolean;

  /** A new element `id` is open (the builder's addElement). */
  protected opened(id: number, name: string, implied: boolean) {
    this.open.push(id);
    this.implied.push(implied);
    if (implied) this.entryOf.push(-1);
    else {
      this.entryOf.push(this.entries.length);
      this.entries.push(id);
    }
    // One lookup per element: what its close will have to undo (kinds, parallel to open).
    let kind = KINDS.get(name) ?? PLAIN;
    if (kind === PARAGRAPH) this.openParagraphs++;
    else if (name === "form" && this.skipped === 0) this.formPointer = id;
    else if (this.open.length <= 3) this.noteDocumentElement(name, id);
    if (this.skipped > 0 && kind !== PARAGRAPH) kind = PLAIN;
    else if (kind === FORMATTING_KIND) {
      this.openFormatting.add(id);
      if (!implied) this.pushFormatting(id);
    } else if (kind === MARKER_KIND) this.formatting.push(MARKER);
    this.kinds.push(kind);
  }

  /** The innermost open element ends (the builder's closeElement). */
  protected closed() {
    this.implied.pop();
    this.entryOf.pop();
    const node = this.open.pop()!;
    const kind = this.kinds.pop();
    if (kind === PARAGRAPH) this.openParagraphs--;
    else if (kind === FORMATTING_KIND) this.openFormatting.delete(node);
    else if (kind === MARKER_KIND) this.clearToMarker();
    if (this.fosterRoots.size > 0) this.fosterRoots.delete(node);
  }

  /**
   * Start tag `name` is read: implies and ends what a browser would before it opens, and says
   * whether it opens at all (false: a browser drops it).
   * - the html, head and body a page leaves out (minifiers drop their tags) are implied, and the
   *   head ends at the first element that does not belong in it;
   * - a row or cell written straight in a table opens in a tbody and row (`/table[1]/tbody[1]/tr[1]`),
   *   a col in a colgroup;
   * - a block start tag closes an open `<p>`, and a list item an open one, even with other elements
   *   still open inside them;
   * - a second html, head or body start tag, and a table part outside any table, are dropped;
   * - anything else written in table structure outside a cell opens before the table (a form,
   *   empty, in it).
   */
  protected placeStartTag(name: string): boolean {
    if (this.ignores(name)) {
      this.entries.push(PHANTOM);
      return false;
    }
    // Inside raw content (script, template, noscript…) htmlparser2's tree is kept as it is.
    if (this.skipped > 0 && this.open[this.open.length - 1] !== this.headNode) return true;
    this.placeInDocument(name);
    this.endImpliedWrappers(name);
    if (TABLE_PARTS.has(name)) {
      if (this.fosterRoots.size > 0) this.endFostered();
      // A table part's start tag ends the open cell or caption, with what is open in it
      // (`<td><span>x<td>`, `<td>a<th>`, `<caption>c<tr>`).
      const cell = this.tableInMode(true);
      if (cell >= 0) this.endEarly(this.open[cell]!);
    }
    // A table start tag in a table's own mode ends that table (`<table><table>` are siblings).
    if (name === "table") {
      const table = this.tableInMode();
      if (table >= 0) this.endEarly(this.open[table]!);
    }
    const top = this.open[this.open.length - 1]!;
    const parent = top === NONE ? "" : this.nodes.names[top]!;
    if (parent === "table") {
      if (name === "tr" || name === "td" || name === "th") this.imply("tbody");
      else if (name === "col") this.imply("colgroup");
    }
    if (
      (name === "td" || name === "th") &&
      (parent === "tbody" || parent === "thead" || parent === "tfoot" || parent === "table")
    )
      this.imply("tr");
    // A form in a table (outside a cell) is an empty element; the rows it holds in the markup are
    // the table's (`<table><form><tr>` → `/table[1]/form[1]`, `/table[1]/tbody[1]/tr[1]`).
    // Anything else not made for table structure opens before the table.
    if (name === "form") this.endAtOnce = this.tableInMode() >= 0;
    else if (TABLE_CONTEXT.has(parent) && !STAYS_IN_TABLE.has(name))
      if (name !== "input" || !this.pendingHiddenInput()) this.fosterNext();
    if (RUBY_PARTS.has(name)) this.endRubyParts(name);
    const peers = LIST_ITEM_PEERS.get(name);
    if (peers !== undefined) this.closeListItem(peers);
    if (this.openParagraphs > 0 && CLOSES_P.has(name) && !(this.quirks && name === "table")) {
      const at = this.paragraphInScope();
      if (at >= 0) this.endEarly(this.open[at]!);
    }
    if (
      this.formatting.length > 0 &&
      (name === "a" || this.closedFormatting()) &&
      !NO_RECONSTRUCT.has(name) &&
      this.mayReconstruct()
    ) {
      // A new <a> first ends the one still active (`<a href=1>x<a href=2>` are siblings).
      if (name === "a") this.endActiveAnchor();
      this.reconstruct();
    }
    return true;
  }

  /** htmlparser2 closes its innermost open element (`name`; `implied`: no end tag of its own). */
  protected endTag(name: string, implied: boolean) {
    const node = this.entries.pop();
    if (node === PHANTOM && name === "p" && !implied && this.paragraphInScope() < 0) {
      // `</p>` without an open <p> is an empty paragraph to a browser (its <p> was ended early).
      this.imply("p");
      this.closeElement();
    }
    if (node === undefined || node === PHANTOM) return;
    if (!implied && this.openFormatting.size > 0 && this.openFormatting.has(node))
      this.removeFormatting(node);
    // The body and html stay open until the document ends (the builder closes them), whatever
    // htmlparser2 closes (their own end tags never reach it: trackedEndTag).
    if (node === this.bodyNode || node === this.htmlNode) return;
    while (this.open.length > 1) {
      const top = this.open[this.open.length - 1]!;
      this.closeElement();
      if (top === node) return;
    }
  }

  /**
   * A text node starts: before the body (outside title, script…) it opens the body, as a browser
   * does; in the body it first reopens the formatting elements a block ended.
   */
  protected placeText(data: string) {
    const top = this.open[this.open.length - 1]!;
    if (this.open.length <= 3 && (top === NONE || top === this.htmlNode || top === this.headNode)) {
      if (NON_SPACE.test(data)) this.placeInDocument("#text");
    } else if (this.skipped > 0) return;
    else if (TABLE_CONTEXT.has(this.nodes.names[top]!)) {
      if (NON_SPACE.test(data)) this.fosterNext();
    } else if (this.closedFormatting() && this.mayReconstruct()) this.reconstruct();
  }

  /** The element just opened ends at once (`endAtOnce`: the builder asks after each start tag). */
  protected endOpenedAtOnce() {
    this.endAtOnce = false;
    this.endEarly(this.open[this.open.length - 1]!);
  }

  /**
   * End tag of formatting element, form, body or html `name`; `open`: where htmlparser2's innermost
   * element of that name is in its stack (-1: none; it would ignore the tag). Returns whether
   * htmlparser2 closes it (PageParser.onTrackedEnd). A form: formEndTag. A formatting element: when
   * there is none, or this builder ended that element already (a block ended it, it may have been
   * reopened since), the browser's formatting element of that name ends, and nothing else.
   */
  protected trackedEndTag(name: string, open: number): TrackedEnd {
    if (name === "form") return this.formEndTag(open);
    // `</body>` and `</html>` end nothing in a browser: what follows them goes into whatever is
    // still open (`<div>…</body><script>` puts the script in the div).
    if (name === "body" || name === "html") return END_HANDLED;
    const at = this.entries.length - 1 - open;
    if (open >= 0 && this.entries[at] !== PHANTOM) return this.adopt(at);
    this.breakText();
    this.endFormatting(name);
    return END_HANDLED;
  }

  /**
   * The end tag of a formatting element that is open (`at`: its place in entries) with blocks
   * opened inside it still open: the standard's adoption agency. `<b><div>x</b>y</div>` is
   * `<b></b><div><b>x</b>y</div>` to a browser: the block moves out to the b's parent, and a copy
   * of the b inside it holds what it held; the same again for a block right inside that, then the
   * last copy ends with what is open in it. Followed where the blocks come one right inside the
   * other from the b (htmlparser2's close, ending all of them, is kept otherwise); a table or cell
   * opened inside the b puts it out of reach, and a browser ignores the tag.
   */
  private adopt(at: number): TrackedEnd {
    const { open, nodes } = this;
    const node = this.entries[at]!;
    if (open[open.length - 1] === node) return END_AS_PARSED;
    let k = open.lastIndexOf(node);
    let run = k + 1;
    while (run < open.length && SPECIAL_BLOCKS.has(nodes.names[open[run]!]!)) run++;
    if (run === k + 1) return END_AS_PARSED;
    for (let j = k + 1; j < open.length; j++) {
      const name = nodes.names[open[j]!]!;
      if (DEFAULT_SCOPE.has(name)) return END_HANDLED;
      if (j >= run && SPECIAL_BLOCKS.has(name)) return END_AS_PARSED;
    }
    const listed = this.formatting.lastIndexOf(node);
    if (listed < 0) return END_AS_PARSED;
    this.breakText();
    this.forgetEntry(at);
    let element = node;
    // A browser runs the move at most eight times (its outer loop); the last copy then stays open.
    for (let step = 0; step < 8; step++) {
      if (k + 1 >= open.length || !SPECIAL_BLOCKS.has(nodes.names[open[k + 1]!]!)) {
        this.removeFormatting(element);
        this.endEarly(element);
        break;
      }
      const block = open[k + 1]!;
      this.moveOutOf(k);
      this.takeOutOfOpen(k);
      this.openFormatting.delete(element);
      const copy = this.wrapChildren(block, node, k + 1);
      open.splice(k + 1, 0, copy);
      this.kinds.splice(k + 1, 0, FORMATTING_KIND);
      this.implied.splice(k + 1, 0, true);
      this.entryOf.splice(k + 1, 0, -1);
      this.formatting[this.formatting.lastIndexOf(element)] = copy;
      this.openFormatting.add(copy);
      element = copy;
      k++;
    }
    return END_FORGOTTEN;
  }

  /** Ends the active formatting element `name` (after the last marker), reopened or not. */
  private endFormatting(name: string) {
    const node = this.takeActive(name);
    if (node !== NONE && this.openFormatting.has(node)) this.endEarly(node);
  }

  /** Removes from the list, and returns, the last active formatting element `name` (NONE: none). */
  private takeActive(name: string): number {
    const { formatting, nodes } = this;
    for (let k = formatting.length - 1; k >= 0 && formatting[k] !== MARKER; k--) {
      const node = formatting[k]!;
      if (nodes.names[node] !== name) continue;
      formatting.splice(k, 1);
      return node;
    }
    return NONE;
  }

  /**
   * A start tag `<a>` while an `<a>` is active: the standard's adoption agency, as far as it moves
   * elements. An open `<a>` holding a block (gtk-doc's `<a name="x"/>`, reopened before the next
   * section's `<div>`) does not take the new `<a>` in: the block leaves it for its parent, what is
   * open inside the innermost block ends, and the new `<a>` opens there. A browser leaves an empty
   * copy of the old `<a>` in each block it moves, holding what the block held before the next
   * block: made where that is nothing (but text). Such a copy is the one node whose id is out of
   * document order (page-tree.ts orders children by sibling links).
   */
  private endActiveAnchor() {
    const { nodes, open } = this;
    const anchor = this.takeActive("a");
    if (anchor === NONE || !this.openFormatting.has(anchor)) return;
    const at = open.lastIndexOf(anchor);
    if (at + 1 >= open.length || !SPECIAL_BLOCKS.has(nodes.names[open[at + 1]!]!))
      return this.endEarly(anchor);
    // The blocks open one inside the other right below the <a>, and the innermost block below it.
    let chain = at + 1;
    while (chain + 1 < open.length && SPECIAL_BLOCKS.has(nodes.names[open[chain + 1]!]!)) chain++;
    let innermost = chain;
    for (let j = chain + 1; j < open.length; j++)
      if (SPECIAL_BLOCKS.has(nodes.names[open[j]!]!)) innermost = j;
    if (innermost + 1 < open.length) this.endEarly(open[innermost + 1]!);
    this.breakText();
    // In each block of the chain, an empty copy of the <a> before the block it holds, where the
    // block holds no element before it (one that did would have to move into the copy).
    for (let j = at + 1; j < chain; j++) {
      let first = nodes.firstChild[open[j]!]!;
      while (first !== open[j + 1] && nodes.isText[first] === 1) first = nodes.next[first]!;
      if (first === open[j + 1]) this.copyBefore(anchor, open[j + 1]!);
    }
    this.moveOutOf(at);
    const entry = this.takeOutOfOpen(at);
    if (entry >= 0) this.entries[entry] = PHANTOM;
    this.openFormatting.delete(anchor);
    // And one in the innermost block, which the new <a> follows there.
    const block = open[open.length - 1]!;
    if (innermost === chain && nodes.firstChild[block] === NONE) {
      this.imply("a");
      const copy = open[open.length - 1]!;
      nodes.attrStart[copy] = nodes.attrStart[anchor]!;
      nodes.attrCount[copy] = nodes.attrCount[anchor]!;
      this.closeElement();
    }
  }

  /** The last active formatting element is no longer open (cheap: most texts are not after one). */
  private closedFormatting(): boolean {
    const last = this.formatting[this.formatting.length - 1];
    return last !== undefined && last !== MARKER && !this.openFormatting.has(last);
  }

  /** Formatting elements are reopened neither in table structure nor in select or raw text. */
  private mayReconstruct(): boolean {
    const top = this.open[this.open.length - 1]!;
    return top !== NONE && !NO_RECONSTRUCT_INSIDE.has(this.nodes.names[top]!);
  }

  /**
   * Reopens, inside the current element, the active formatting elements (after the last marker)
   * that are no longer open, each with its attributes: the standard's reconstruction.
   */
  private reconstruct() {
    const { formatting, openFormatting, nodes } = this;
    let k = formatting.length - 1;
    if (k < 0 || formatting[k] === MARKER || openFormatting.has(formatting[k]!)) return;
    while (k > 0 && formatting[k - 1] !== MARKER && !openFormatting.has(formatting[k - 1]!)) k--;
    this.reopenedLeft -= formatting.length - k;
    if (this.reopenedLeft < 0) return;
    this.breakText();
    for (; k < formatting.length; k++) {
      const original = formatting[k]!;
      this.imply(nodes.names[original]!);
      const clone = this.open[this.open.length - 1]!;
      nodes.attrStart[clone] = nodes.attrStart[original]!;
      nodes.attrCount[clone] = nodes.attrCount[original]!;
      formatting[k] = clone;
    }
  }

  /** Adds a formatting element to the list: at most three equal ones after the last marker. */
  private pushFormatting(node: number) {
    const { formatting } = this;
    let equal = 0;
    let earliest = -1;
    let since = 0;
    for (let k = formatting.length - 1; k >= 0 && formatting[k] !== MARKER; k--) {
      since++;
      if (sameElement(this.nodes, formatting[k]!, node)) {
        equal++;
        earliest = k;
      }
    }
    if (equal >= 3) formatting.splice(earliest, 1);
    else if (since >= MAX_FORMATTING) formatting.splice(formatting.length - since, 1);
    formatting.push(node);
  }

  private removeFormatting(node: number) {
    const at = this.formatting.lastIndexOf(node);
    if (at >= 0) this.formatting.splice(at, 1);
  }

  /** At the end of a cell, caption…: the formatting elements opened inside it are no longer active. */
  private clearToMarker() {
    while (this.formatting.length > 0) if (this.formatting.pop() === MARKER) return;
  }
}
