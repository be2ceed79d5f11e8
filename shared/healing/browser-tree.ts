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
import { NONE, type PageNodes } from "./page-arrays.ts";
import {
  BUTTON_SCOPE,
  CLOSES_P,
  HEAD_CONTENT,
  LIST_ITEM_BARRIERS,
  LIST_ITEM_PEERS,
  ROW_ENDERS,
  TABLE_PARTS,
  TABLE_SECTIONS,
} from "./tree-rules.ts";

const PHANTOM = -2;

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

  /** Opens an element the markup leaves out (no attributes) before the one being read. */
  protected abstract imply(name: string): void;
  /** Ends the innermost open element (calls `closed`). */
  protected abstract closeElement(): void;
  /** A tag ends the text node being extended. */
  protected abstract breakText(): void;

  /** A new element `id` is open (the builder's addElement). */
  protected opened(id: number, name: string, implied: boolean) {
    this.open.push(id);
    this.implied.push(implied);
    if (implied) this.entryOf.push(-1);
    else {
      this.entryOf.push(this.entries.length);
      this.entries.push(id);
    }
    if (name === "p") this.openParagraphs++;
    else if (this.open.length <= 3) this.noteDocumentElement(name, id);
  }

  /** The innermost open element ends (the builder's closeElement). */
  protected closed() {
    this.implied.pop();
    this.entryOf.pop();
    if (this.nodes.names[this.open.pop()!] === "p") this.openParagraphs--;
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
    // What follows the document's </body> or </html> (trailing scripts, injected widgets) is still
    // the body's in a browser: both stay open until the document ends (the builder closes them).
    if (node === this.bodyNode || node === this.htmlNode) return;
    while (this.open.length > 1) {
      const top = this.open[this.open.length - 1]!;
      this.closeElement();
      if (top === node) return;
    }
  }

  /** Text before the body (outside title, script…) opens the body, as a browser does. */
  protected placeText(data: string) {
    const top = this.open[this.open.length - 1]!;
    if ((top === NONE || top === this.htmlNode || top === this.headNode) && NON_SPACE.test(data))
      this.placeInDocument("#text");
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
