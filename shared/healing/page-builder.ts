/**
 * Builds a parsed page (dom.ts ParsedPage) in htmlparser2's tokenizer callbacks, as flat arrays
 * (page-arrays.ts):
 * no object per element, attribute set, children list or text node. Every node (element or text,
 * numbered in document order) has its name or text, parent, first child and siblings in typed
 * arrays; attributes are one range of two per-page arrays (names, values). In the same pass the
 * per-element facts the shortlist needs are recorded per candidate (tag, parent, hidden, depth, the
 * span of visible text nodes it covers). Nothing walks the page again; a domhandler-shaped tree is
 * built from the arrays only when css-select or the xpath evaluator needs one (page-tree.ts).
 * Why: a parsed page lives through the whole heal, so every young-generation GC that falls inside it
 * copies the page's objects (docs/heal-model.md "Cost of the DOM form").
 */
import { decodeHTML, decodeHTMLAttribute } from "entities";
import { BrowserTree } from "./browser-tree.ts";
import { renumberInDocumentOrder } from "./document-order.ts";
import { inRawText, NON_SPACE, NOT_CANDIDATES, SKIPPED } from "./dom-nodes.ts";
import { checkElement } from "./limits.ts";
import {
  allocate,
  type BuiltPage,
  CANDIDATE_ARRAYS,
  grow,
  NODE_ARRAYS,
  NONE,
  nodeAttribute,
  type PageNodes,
  SCANNED_ATTRIBUTES,
} from "./page-arrays.ts";
import { PageParser } from "./page-parser.ts";
import { isHiddenBy } from "./visibility.ts";

/**
 * `capacity`: the expected number of elements (parsePage passes checkHtml's count of start tags),
 * so the arrays are allocated once instead of grown; more elements still fit.
 */
export function buildPage(html: string, capacity: number): BuiltPage {
  return new PageBuilder(html, capacity).build();
}

/**
 * The parser's callbacks writing one page: the state of the walk lives in its fields; where each
 * element goes (the open elements, as a browser's parser keeps them) in BrowserTree's.
 */
class PageBuilder extends BrowserTree {
  private readonly html: string;
  private readonly page: BuiltPage;
  protected readonly nodes: PageNodes;
  private readonly parser: PageParser;
  private candidateCount = 0;
  private textCount = 0;
  private attributeCount = 0;
  private totalAttributes = 0;
  // Per open element (BrowserTree.open): its candidate index (or -1), the nearest candidate
  // ancestor-or-self, whether hidden (itself or by an ancestor), its last child so far.
  private readonly selfIndex: number[] = [-1];
  private readonly ownerIndex: number[] = [-1];
  private readonly hiddenStack: boolean[] = [false];
  private readonly lastChild: number[] = [NONE];
  // The node of each listed text (texts[k]), for renumbering (document-order.ts).
  private readonly textNodes: number[] = [];
  // The text node being extended (an entity splits a text into several callbacks), and its text.
  private lastText: string | null = null;
  private lastNode = NONE;
  private lastTextListed = false;
  // The start tag being read: its name and where its attributes begin.
  private pendingName: string | null = null;
  private pendingStart = 0;
  private readonly seenNames = new Set<string>();
  // Entities are decoded here, not by the tokenizer (its per-character entity state costs more
  // than a scan for "&"), with the same decoders and modes htmlparser2 uses: attribute values in
  // attribute mode, text in legacy mode, except inside raw-text elements (script, style, xmp…).
  // A page without a single "&" (one native scan) needs no per-attribute or per-text check.
  private readonly mayHaveEntities: boolean;

  constructor(html: string, capacity: number) {
    super();
    this.html = html;
    this.page = allocate(capacity);
    this.nodes = this.page.nodes;
    this.mayHaveEntities = html.includes("&");
    this.parser = new PageParser(
      {
        onopentagname: (name) => this.startTag(name),
        onattribute: (name, raw) => this.attribute(name, raw),
        onclosetag: (name, implied) => this.closeTag(name, implied),
        ontext: (raw) => this.text(raw),
        oncomment: () => this.breakText(),
        onprocessinginstruction: (name, data) => {
          this.breakText();
          if (name !== "!doctype") return;
          this.doctype(data);
          this.parser.quirks = this.quirks;
        },
      },
      { decodeEntities: false, lowerCaseAttributeNames: true, lowerCaseTags: true },
      () => this.openElement(),
      (name, open) => this.trackedEndTag(name, open),
    );
  }

  build(): BuiltPage {
    const { page, nodes } = this;
    this.parser.end(this.html);
    // The body (and html) a browser keeps open after their end tags end with the document.
    while (this.open.length > 1) this.closeElement();
    page.texts.length = this.textCount;
    nodes.attrNames.length = this.attributeCount;
    nodes.attrValues.length = this.attributeCount;
    const count = this.candidateCount;
    page.tags.length = count;
    nodes.names.length = nodes.count;
    nodes.position = new Int32Array(nodes.count);
    page.nodeOf = page.nodeOf.subarray(0, count);
    page.hiddenFlags = page.hiddenFlags.subarray(0, count);
    page.depth = page.depth.subarray(0, count);
    page.parentIndex = page.parentIndex.subarray(0, count);
    page.textStart = page.textStart.subarray(0, count);
    page.textEnd = page.textEnd.subarray(0, count);
    if (this.reordered) renumberInDocumentOrder(page, this.textNodes);
    return page;
  }

  /** A new node, last child of the innermost open element (or fostered: just before a table). */
  private addNode(name: string, text: boolean): number {
    const { nodes, open, lastChild } = this;
    if (nodes.count === nodes.parent.length) grow(nodes, NODE_ARRAYS);
    if (this.fosterBefore !== NONE) return this.addBeforeTable(name, text);
    const id = nodes.count++;
    const parent = open[open.length - 1]!;
    const previous = lastChild[lastChild.length - 1]!;
    nodes.names[id] = name;
    nodes.isText[id] = text ? 1 : 0;
    nodes.parent[id] = parent;
    nodes.firstChild[id] = NONE;
    nodes.next[id] = NONE;
    nodes.prev[id] = previous;
    nodes.index[id] = -1;
    if (previous !== NONE) nodes.next[previous] = id;
    else if (parent === NONE) nodes.rootFirst = id;
    else nodes.firstChild[parent] = id;
    lastChild[lastChild.length - 1] = id;
    return id;
  }

  private addBeforeTable(name: string, text: boolean): number {
    const id = this.insertBefore(this.fosterBefore, name, text);
    this.fosterBefore = NONE;
    if (!text) this.fosterRoots.add(id);
    return id;
  }

  /** A new node, sibling just before node `before` (the arrays have room for it). */
  private insertBefore(before: number, name: string, text: boolean): number {
    const { nodes } = this;
    const id = nodes.count++;
    const parent = nodes.parent[before]!;
    const previous = nodes.prev[before]!;
    nodes.names[id] = name;
    nodes.isText[id] = text ? 1 : 0;
    nodes.parent[id] = parent;
    nodes.firstChild[id] = NONE;
    nodes.index[id] = -1;
    nodes.prev[id] = previous;
    nodes.next[id] = before;
    nodes.prev[before] = id;
    if (previous !== NONE) nodes.next[previous] = id;
    else if (parent === NONE) nodes.rootFirst = id;
    else nodes.firstChild[parent] = id;
    return id;
  }

  private startTag(name: string) {
    this.pendingName = name;
    this.pendingStart = this.attributeCount;
    if (this.seenNames.size > 0) this.seenNames.clear();
  }

  /**
   * htmlparser2 keeps the first of repeated attributes (and drops `__proto__`, which setting on its
   * attributes object does not store): found by a scan, or a set on elements with many.
   */
  private attribute(name: string, raw: string) {
    if (this.pendingName === null || name === "__proto__") return;
    const { attrNames, attrValues } = this.nodes;
    const { pendingStart, seenNames } = this;
    const count = this.attributeCount - pendingStart;
    if (count <= SCANNED_ATTRIBUTES) {
      for (let k = pendingStart; k < this.attributeCount; k++) if (attrNames[k] === name) return;
    } else if (seenNames.has(name)) return;
    const value = this.mayHaveEntities && raw.includes("&") ? decodeHTMLAttribute(raw) : raw;
    attrNames[this.attributeCount] = name;
    attrValues[this.attributeCount++] = value;
    if (count === SCANNED_ATTRIBUTES)
      for (let k = pendingStart; k < this.attributeCount; k++) seenNames.add(attrNames[k]!);
    else if (count > SCANNED_ATTRIBUTES) seenNames.add(name);
  }

  /**
   * The start tag announced by onopentagname is read: the element opens where a browser's HTML
   * parser would put it (browser-tree.ts), or not at all where a browser drops the tag.
   */
  private openElement() {
    const name = this.pendingName!;
    if (this.placeStartTag(name)) {
      this.addElement(name, false);
      if (this.endAtOnce) this.endOpenedAtOnce();
      return;
    }
    this.pendingName = null;
    this.attributeCount = this.pendingStart;
  }

  /** Opens an element the markup leaves out (no attributes) before the one being read. */
  protected imply(name: string) {
    const { pendingName, pendingStart } = this;
    this.pendingStart = this.attributeCount;
    this.addElement(name, true);
    this.pendingName = pendingName;
    this.pendingStart = pendingStart;
  }

  private addElement(name: string, implied: boolean) {
    const { nodes, page } = this;
    this.pendingName = null;
    const count = this.attributeCount - this.pendingStart;
    this.totalAttributes = checkElement(this.open.length - 1, count, this.totalAttributes);
    this.breakText();
    // A fostered element is the table's parent's (its depth and parent candidate are set once the
    // page is built, see renumberInDocumentOrder).
    const outer =
      this.fosterBefore === NONE ? this.open.length - 1 : this.open.lastIndexOf(this.fosterBefore) - 1;
    const id = this.addNode(name, false);
    nodes.attrStart[id] = this.pendingStart;
    nodes.attrCount[id] = count;
    this.opened(id, name, implied);
    this.lastChild.push(NONE);
    const parentOwner = this.ownerIndex[outer]!;
    const inHidden = this.hiddenStack[outer]!;
    if (this.skipped > 0 || SKIPPED.has(name)) {
      if (name === "style") this.page.styleNodes.push(id);
      this.skipped++;
      this.pushOpen(-1, parentOwner, inHidden);
      return;
    }
    const isHidden = inHidden || this.isHiddenElement(name, id) || this.inClosedDetails(name, id);
    if (NOT_CANDIDATES.has(name)) {
      this.pushOpen(-1, parentOwner, isHidden);
      return;
    }
    const index = this.candidateCount++;
    if (index === page.depth.length) grow(page, CANDIDATE_ARRAYS);
    if (name === "label") {
      const target = nodeAttribute(this.nodes, id, "for");
      if (target) page.labelFor.set(target, index);
    }
    nodes.index[id] = index;
    page.nodeOf[index] = id;
    page.tags[index] = name;
    page.parentIndex[index] = parentOwner;
    page.hiddenFlags[index] = isHidden ? 1 : 0;
    page.depth[index] = this.open.length - 2;
    page.textStart[index] = this.textCount;
    this.pushOpen(index, index, isHidden);
  }

  private pushOpen(self: number, owner: number, hidden: boolean) {
    this.selfIndex.push(self);
    this.ownerIndex.push(owner);
    this.hiddenStack.push(hidden);
  }

  /** A closed `<details>` shows its summary and nothing else of what it holds. */
  private inClosedDetails(name: string, id: number): boolean {
    const parent = this.nodes.parent[id]!;
    return (
      name !== "summary" &&
      parent !== NONE &&
      this.nodes.names[parent] === "details" &&
      nodeAttribute(this.nodes, parent, "open") === undefined
    );
  }

  /** isHiddenByAttributes of element `id`, its four attributes read in one pass over its range. */
  private isHiddenElement(name: string, id: number): boolean {
    const { attrStart, attrCount, attrNames, attrValues } = this.nodes;
    const start = attrStart[id]!;
    const end = start + attrCount[id]!;
    if (start === end) return false;
    let hidden: string | undefined;
    let ariaHidden: string | undefined;
    let type: string | undefined;
    let style: string | undefined;
    for (let k = start; k < end; k++) {
      const key = attrNames[k]!;
      if (key === "hidden") hidden = attrValues[k];
      else if (key === "aria-hidden") ariaHidden = attrValues[k];
      else if (key === "type") type = attrValues[k];
      else if (key === "style") style = attrValues[k];
    }
    return isHiddenBy(name, hidden, ariaHidden, type, style);
  }

  private closeTag(name: string, implied: boolean) {
    if (this.pendingName !== null) {
      // A start tag cut off by the end of the document never opens an element (htmlparser2 still
      // closes it); only `</br>` (read as <br>) opens one without its start tag ending.
      if (implied) {
        this.pendingName = null;
        return;
      }
      this.openElement();
    }
    this.breakText();
    this.endTag(name, implied);
  }

  protected pendingHiddenInput(): boolean {
    const { attrNames, attrValues } = this.nodes;
    for (let k = this.pendingStart; k < this.attributeCount; k++)
      if (attrNames[k] === "type") return attrValues[k]!.trim().toLowerCase() === "hidden";
    return false;
  }

  protected copyBefore(original: number, before: number) {
    const { nodes } = this;
    if (nodes.count === nodes.parent.length) grow(nodes, NODE_ARRAYS);
    const id = this.insertBefore(before, nodes.names[original]!, false);
    nodes.attrStart[id] = nodes.attrStart[original]!;
    nodes.attrCount[id] = nodes.attrCount[original]!;
  }

  protected wrapChildren(block: number, original: number, at: number): number {
    const { nodes, page, lastChild, selfIndex, ownerIndex, hiddenStack } = this;
    if (nodes.count === nodes.parent.length) grow(nodes, NODE_ARRAYS);
    const id = nodes.count++;
    const name = nodes.names[original]!;
    nodes.names[id] = name;
    nodes.isText[id] = 0;
    nodes.attrStart[id] = nodes.attrStart[original]!;
    nodes.attrCount[id] = nodes.attrCount[original]!;
    nodes.parent[id] = block;
    nodes.prev[id] = NONE;
    nodes.next[id] = NONE;
    nodes.firstChild[id] = nodes.firstChild[block]!;
    for (let child = nodes.firstChild[block]!; child !== NONE; child = nodes.next[child]!)
      nodes.parent[child] = id;
    nodes.firstChild[block] = id;
    // A candidate made after what it holds: the page is renumbered once built (document-order.ts).
    const index = this.candidateCount++;
    if (index === page.depth.length) grow(page, CANDIDATE_ARRAYS);
    const hidden = hiddenStack[at - 1]! || this.isHiddenElement(name, id);
    nodes.index[id] = index;
    page.nodeOf[index] = id;
    page.tags[index] = name;
    page.hiddenFlags[index] = hidden ? 1 : 0;
    this.reordered = true;
    lastChild.splice(at, 0, lastChild[at - 1]!);
    lastChild[at - 1] = id;
    selfIndex.splice(at, 0, index);
    ownerIndex.splice(at, 0, index);
    hiddenStack.splice(at, 0, hidden);
    return id;
  }

  protected moveOutOf(at: number) {
    const { nodes, open, page, lastChild, selfIndex, ownerIndex } = this;
    const element = open[at]!;
    const block = open[at + 1]!;
    const before = nodes.prev[block]!;
    if (before === NONE) nodes.firstChild[element] = NONE;
    else nodes.next[before] = NONE;
    nodes.prev[block] = element;
    nodes.next[element] = block;
    nodes.parent[block] = nodes.parent[element]!;
    lastChild[at - 1] = block;
    const elementIndex = selfIndex[at]!;
    const blockIndex = selfIndex[at + 1]!;
    if (elementIndex >= 0)
      page.textEnd[elementIndex] = blockIndex >= 0 ? page.textStart[blockIndex]! : this.textCount;
    if (blockIndex >= 0) {
      page.parentIndex[blockIndex] = ownerIndex[at - 1]!;
      // The block and everything made inside it so far (candidates are numbered in document order).
      for (let i = blockIndex; i < this.candidateCount; i++) page.depth[i]!--;
    }
    for (const stack of [lastChild, selfIndex, ownerIndex, this.hiddenStack] as unknown[][])
      stack.splice(at, 1);
  }

  protected closeElement() {
    if (this.open.length <= 1) return;
    this.closed();
    this.lastChild.pop();
    const index = this.selfIndex.pop()!;
    this.ownerIndex.pop();
    this.hiddenStack.pop();
    if (this.skipped > 0) this.skipped--;
    else if (index >= 0) this.page.textEnd[index] = this.textCount;
  }

  protected liftOut(at: number) {
    // What opens inside the form from now on is deeper than `open` says, and the form's text
    // goes on: depths and text ranges are read off the tree once the page is built.
    this.reordered = true;
    for (const stack of [this.lastChild, this.selfIndex, this.ownerIndex, this.hiddenStack] as unknown[][])
      stack.splice(at, 1);
  }

  private text(raw: string) {
    const { texts } = this.page;
    const data = this.mayHaveEntities && raw.includes("&") && !inRawText(this.parser) ? decodeHTML(raw) : raw;
    if (this.lastText === null) this.placeText(data);
    const listed = this.skipped === 0 && !this.hiddenStack[this.hiddenStack.length - 1];
    if (this.lastText !== null) {
      this.lastText += data;
      this.nodes.names[this.lastNode] = this.lastText;
      if (!listed) return;
      if (this.lastTextListed) texts[this.textCount - 1] = this.lastText;
      else if (NON_SPACE.test(this.lastText)) {
        this.textNodes[this.textCount] = this.lastNode;
        texts[this.textCount++] = this.lastText;
        this.lastTextListed = true;
      }
      return;
    }
    this.lastText = data;
    this.lastNode = this.addNode(data, true);
    this.lastTextListed = listed && NON_SPACE.test(data);
    if (this.lastTextListed) {
      this.textNodes[this.textCount] = this.lastNode;
      texts[this.textCount++] = data;
    }
  }

  /** A tag, comment or processing instruction ends the text node being extended. */
  protected breakText() {
    this.lastText = null;
    this.lastNode = NONE;
  }
}
