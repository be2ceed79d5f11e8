/**
 * Where the page builder (page-builder.ts) puts each element: the open elements, kept as a browser's
 * HTML parser keeps them (tree-rules.ts), on top of htmlparser2's tokenizer and its own simpler
 * stack (docs/heal-model.md, "The page as the browser builds it"). The builder creates and ends the
 * nodes; this class decides where a start tag opens, what it ends first, and what an end tag ends.
 *
 * htmlparser2's stack is mirrored in `entries`: one per element it has open, the node here, or
 * PHANTOM where a browser drops the start tag or has ended the element already. When htmlparser2
 * later closes an element, the node it stands for ends with whatever implied elements are still open
 * inside it; a PHANTOM's close ends nothing.
 */
import { NON_SPACE } from "./dom-nodes.ts";
import { NONE, type PageNodes, sameElement } from "./page-arrays.ts";
import {
  BUTTON_SCOPE,
  CLOSES_P,
  FORMATTING_KIND,
  HEAD_CONTENT,
  KINDS,
  LIST_ITEM_BARRIERS,
  LIST_ITEM_PEERS,
  MARKER_KIND,
  NO_RECONSTRUCT,
  NO_RECONSTRUCT_INSIDE,
  PARAGRAPH,
  PLAIN,
  ROW_ENDERS,
  SPECIAL_BLOCKS,
  TABLE_PARTS,
  TABLE_SECTIONS,
} from "./tree-rules.ts";

const PHANTOM = -2;
const MARKER = -3;
// A browser keeps at most three equal formatting elements in the list; this builder also keeps
// at most this many in all, so a page of thousands left open cannot make every text reopen them.
const MAX_FORMATTING = 32;
// Reopened copies per page: a page of many formatting elements left open, each reopened in
// thousands of blocks, would otherwise grow without bound (a browser's tree would).
const MAX_REOPENED = 20_000;

export abstract class BrowserTree {
  protected abstract readonly nodes: PageNodes;
  // Open elements: node id (NONE: the document) and whether this builder implied it (a tbody the
  // markup leaves out: htmlparser2 never closes it, its parent's end does).
  protected readonly open: number[] = [NONE];
  protected readonly implied: boolean[] = [false];
  // Inside script, style, head, template…: elements are kept for selectors, never candidates.
  protected skipped = 0;
  private readonly entries: number[] = [];
  // Per open element, its place in entries (-1: implied).
  private readonly entryOf: number[] = [-1];
  // The document's html, head and body elements (NONE until opened or implied); open <p> elements.
  private htmlNode = NONE;
  private headNode = NONE;
  private bodyNode = NONE;
  private openParagraphs = 0;
  // The standard's list of active formatting elements (node ids, MARKER at a cell, caption…), and
  // which of them are open.
  private readonly formatting: number[] = [];
  private readonly openFormatting = new Set<number>();
  private readonly kinds: number[] = [PLAIN];
  private reopenedLeft = MAX_REOPENED;

  /** Opens an element the markup leaves out (no attributes) before the one being read. */
  protected abstract imply(name: string): void;
  /** Ends the innermost open element (calls `closed`). */
  protected abstract closeElement(): void;
  /** A tag ends the text node being extended. */
  protected abstract breakText(): void;
  /**
   * The element open at `at` in `open` ends, and the element open just inside it moves out to its
   * parent, right after it (the builder's own per-open-element state; this class updates its own).
   */
  protected abstract moveOutOf(at: number): void;
  /** Adds an empty element with the name and attributes of `original` just before node `before`. */
  protected abstract copyBefore(original: number, before: number): void;

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
   * - a second html, head or body start tag, and a table part outside any table, are dropped.
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
    const peers = LIST_ITEM_PEERS.get(name);
    if (peers !== undefined) this.closeListItem(peers);
    if (this.openParagraphs > 0 && CLOSES_P.has(name)) {
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
    // What follows the document's </body> or </html> (trailing scripts, injected widgets) is still
    // the body's in a browser: both stay open until the document ends (the builder closes them).
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
    } else if (this.skipped === 0 && this.closedFormatting() && this.mayReconstruct()) this.reconstruct();
  }

  /**
   * End tag of formatting element `name`; `open`: where htmlparser2's innermost element of that name
   * is in its stack (-1: none; it would ignore the tag). When there is none, or this builder ended
   * that element already (a block ended it, it may have been reopened since), the browser's
   * formatting element of that name ends, and nothing else: true (htmlparser2 then closes nothing).
   */
  protected formattingEndTag(name: string, open: number): boolean {
    if (open >= 0 && this.entries[this.entries.length - 1 - open] !== PHANTOM) return false;
    this.breakText();
    this.endFormatting(name);
    return true;
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
    open.splice(at, 1);
    this.kinds.splice(at, 1);
    this.implied.splice(at, 1);
    const entry = this.entryOf.splice(at, 1)[0]!;
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

  /** Start tags a browser drops: a second html, head or body; a table part outside a table. */
  private ignores(name: string): boolean {
    if (name === "html") return this.htmlNode !== NONE;
    if (name === "head") return this.headNode !== NONE;
    if (name === "body") return this.bodyNode !== NONE;
    if (!TABLE_PARTS.has(name) || this.skipped > 0) return false;
    const { open, nodes } = this;
    for (let k = open.length - 1; k >= 1; k--) if (nodes.names[open[k]!] === "table") return false;
    return true;
  }

  /**
   * Before the body: implies the html element, the head (a browser always has one), and the body
   * once something that does not belong in the head arrives (`name`: a start tag, or "#text").
   */
  private placeInDocument(name: string) {
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

  /** An implied tbody, row or colgroup ends where the markup moves on to what cannot be in it. */
  private endImpliedWrappers(name: string) {
    for (;;) {
      const top = this.open.length - 1;
      if (!this.implied[top]) return;
      const wrapper = this.nodes.names[this.open[top]!];
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
  private paragraphInScope(): number {
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
  private closeListItem(peers: ReadonlySet<string>) {
    const { open, nodes } = this;
    for (let k = open.length - 1; k >= 1; k--) {
      const name = nodes.names[open[k]!]!;
      if (peers.has(name)) return this.endEarly(open[k]!);
      if (LIST_ITEM_BARRIERS.has(name)) return;
    }
  }

  /** Ends open element `node` (and all open inside it) before htmlparser2 does. */
  private endEarly(node: number) {
    this.breakText();
    while (this.open.length > 1) {
      const top = this.open[this.open.length - 1]!;
      const entry = this.entryOf[this.entryOf.length - 1]!;
      if (entry >= 0) this.entries[entry] = PHANTOM;
      this.closeElement();
      if (top === node) return;
    }
  }

  private noteDocumentElement(name: string, id: number) {
    const parent = this.nodes.parent[id]!;
    if (name === "html" && parent === NONE) this.htmlNode = id;
    else if (parent === this.htmlNode && parent !== NONE) {
      if (name === "head") this.headNode = id;
      else if (name === "body") this.bodyNode = id;
    }
  }
}
