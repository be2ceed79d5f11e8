/**
 * Elements the page's own style sheets hide: `display: none`, or `visibility: hidden | collapse`
 * (inherited until a descendant says `visible`), found by the cascade a browser runs on `<style>`
 * elements: `!important`, cascade layers, the inline `style` attribute, specificity, order, and
 * `@media` judged for Playwright's default 1280 × 720 page (docs/heal-model.md, "Elements a style
 * sheet hides"). A test cannot act on such an element, and Playwright's role and label locators do
 * not see it, so it is never a healing answer.
 * Linked sheets (`<link rel=stylesheet>`) are not in the markup and are not read.
 * Where it is unsure (a rule inside @supports or @container, a selector css-select cannot read)
 * it keeps the element shown: a hidden answer is a failed heal, a hidden right answer a lost one.
 * Cost: nothing unless some sheet hides something; then one pass over the elements, each looking
 * up only the rules whose rightmost id, class or tag it carries, as browsers index rules.
 */
import { compile } from "css-select";
import { parse, type Selector } from "css-what";
import { NONE, nodeAttribute, type PageNodes } from "./page-arrays.ts";
import type { PageTree } from "./page-tree.ts";
import { inlineDeclarations, type StyleRule, visibilityRules } from "./style-rules.ts";

export type StyledPage = {
  readonly nodes: PageNodes;
  readonly nodeOf: Int32Array;
  readonly hiddenFlags: Uint8Array;
};

const HIDES = /display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)/i;
const PSEUDO_ELEMENT = /::|:(?:before|after|first-line|first-letter)\b/i;
// States a page is in while a test acts on it (hovered, focused, targeted, opened by a script…):
// a heal can come right after the test hovered a menu open, and the page's markup does not say so.
// A rule that needs one is read as a selector that cannot be read: never trusted to hide, always
// allowed to show (a submenu `.menu:hover .sub{display:block}` shows stays a candidate).
const STATEFUL =
  /:(?:hover|active|focus|focus-within|focus-visible|target|target-within|visited|popover-open|modal|fullscreen|autofill|-webkit-autofill|user-invalid|user-valid|checked|indeterminate|playing|paused|open|closed)\b/i;
const PSEUDOS = { defined: () => true };
// A CSS name: word characters, hyphens, non-ASCII, and escapes other than hex ones.
const IDENT = /^(?:[\w-]|\\[^0-9a-fA-F\n]|\P{ASCII})+/u;
const CLASS_SEPARATOR = /[ \t\n\f\r]+/;
// Bounds on the work a page's sheets can ask for: rules declaring display or visibility (a full
// Tailwind or Bootstrap build has a few hundred), selector matches over the whole page, compiles.
// Past them the pass stops: the elements not yet judged stay shown.
const MAX_RULES = 20_000;
const MAX_MATCHES = 200_000;
// Compiling a selector costs some 30 µs: a page may ask for this many.
const MAX_COMPILES = 3_000;
const HAS = /:has\(/i;
class OverBudget extends Error {}
let compilesLeft = 0;
const INLINE_PRIORITY = Number.POSITIVE_INFINITY;

type Entry = {
  rule: StyleRule;
  /** undefined until first needed; null: css-select cannot read the selector. */
  matches?: ((element: unknown) => boolean) | null;
  specificity?: number;
};

type Declared = { hides: boolean; important: boolean; layer: number; specificity: number; order: number };

/**
 * Sets the hidden flag of every candidate a `<style>` element of the page hides. `styleNodes`: the
 * node ids of its `<style>` elements; `tree`: the page's light tree (built only if a selector must
 * be matched).
 */
export function hideByStyleSheets(
  page: StyledPage,
  styleNodes: readonly number[],
  tree: () => PageTree,
): void {
  const rules = sheetRules(page.nodes, styleNodes);
  if (rules === null) return;
  const { byKey, hiding, showsVisibility } = indexRules(rules);
  let matchesLeft = MAX_MATCHES;
  compilesLeft = MAX_COMPILES;
  const { nodes } = page;
  let elements: unknown[] | null = null; // the light tree, built when a selector must be matched
  const displayNone = new Uint8Array(nodes.count);
  // Per node: 1 hidden, 2 visible, 0 as its parent.
  const visibility = new Uint8Array(nodes.count);
  for (let id = 0; id < nodes.count; id++) {
    if (nodes.isText[id] === 1) continue;
    const parent = nodes.parent[id]!;
    const inherited = parent === NONE ? 0 : visibility[parent]!;
    visibility[id] = inherited;
    if (parent !== NONE && displayNone[parent] === 1) {
      displayNone[id] = 1;
      continue;
    }
    // Only a rule that hides, or one that shows inside a hidden parent, can change anything.
    if (!mayHide(nodes, id, hiding) && !(inherited === 1 && showsVisibility)) continue;
    const entries: Entry[] = [];
    for (const key of keysOf(nodes, id)) for (const entry of byKey.get(key) ?? []) entries.push(entry);
    // A page built to make this slow (thousands of rules any element may match) stops here:
    // the elements not yet judged stay shown, as they were before any sheet was read.
    matchesLeft -= entries.length;
    if (matchesLeft < 0) break;
    elements ??= tree().nodes;
    const element = elements[id];
    let display: boolean | null;
    let own: boolean | null;
    try {
      display = decide(entries, "display", element, nodes, id, false);
      own = decide(entries, "visibility", element, nodes, id, inherited === 1);
    } catch (error) {
      if (error instanceof OverBudget) break;
      throw error;
    }
    if (display === true) displayNone[id] = 1;
    if (own !== null) visibility[id] = own ? 1 : 2;
  }
  const { nodeOf, hiddenFlags } = page;
  for (let i = 0; i < nodeOf.length; i++) {
    const id = nodeOf[i]!;
    if (displayNone[id] === 1 || visibility[id] === 1) hiddenFlags[i] = 1;
  }
}

/** The rules of the page's sheets that show or hide, or null when none can hide anything. */
function sheetRules(nodes: PageNodes, styleNodes: readonly number[]): StyleRule[] | null {
  const sheets: { css: string; media: string | undefined }[] = [];
  for (const id of styleNodes) {
    if (insideInertContent(nodes, id)) continue;
    let css = "";
    for (let child = nodes.firstChild[id]!; child !== NONE; child = nodes.next[child]!)
      if (nodes.isText[child] === 1) css += nodes.names[child];
    if (css !== "") sheets.push({ css, media: nodeAttribute(nodes, id, "media") });
  }
  if (!sheets.some((sheet) => HIDES.test(sheet.css))) return null;
  const rules: StyleRule[] = [];
  const layers: string[] = [];
  for (const sheet of sheets) visibilityRules(sheet.css, sheet.media, rules, layers);
  if (rules.length > MAX_RULES) return null; // no page needs this many; judging them would cost more than it saves
  return rules.some((rule) => rule.hides && rule.certain) ? rules : null;
}

/** A `<style>` inside template or noscript content is text to a browser running scripts. */
function insideInertContent(nodes: PageNodes, id: number): boolean {
  for (let at = nodes.parent[id]!; at !== NONE; at = nodes.parent[at]!) {
    const name = nodes.names[at];
    if (name === "template" || name === "noscript") return true;
  }
  return false;
}

type HidingKeys = {
  universal: boolean;
  tags: Set<string>;
  attributes: Set<string>;
  ids: Set<string>;
  classes: Set<string>;
  /** Any of `classes` in a class list (null: none). */
  classPattern: RegExp | null;
};

type RuleIndex = {
  /** Rules by what their rightmost part requires: "#id", ".class", "[attribute", a tag, or "*" (none of these). */
  byKey: Map<string, Entry[]>;
  /** What a rule that surely hides requires, by kind (mayHide). */
  hiding: HidingKeys;
  /** Some rule says `visibility: visible`. */
  showsVisibility: boolean;
};

function indexRules(rules: StyleRule[]): RuleIndex {
  const byKey = new Map<string, Entry[]>();
  const hiding: HidingKeys = {
    universal: false,
    tags: new Set(),
    attributes: new Set(),
    ids: new Set(),
    classes: new Set(),
    classPattern: null,
  };
  let showsVisibility = false;
  for (const rule of rules) {
    if (PSEUDO_ELEMENT.test(rule.selector)) continue; // styles a pseudo-element, not the element
    const key = rightmostKey(rule.selector);
    const list = byKey.get(key);
    if (list) list.push({ rule });
    else byKey.set(key, [{ rule }]);
    if (rule.hides && rule.certain) {
      const kind = key[0];
      if (key === "*") hiding.universal = true;
      else if (kind === "#") hiding.ids.add(key.slice(1));
      else if (kind === ".") hiding.classes.add(key.slice(1));
      else if (kind === "[") hiding.attributes.add(key.slice(1));
      else hiding.tags.add(key);
    }
    if (rule.property === "visibility" && !rule.hides) showsVisibility = true;
  }
  if (hiding.classes.size > 0) hiding.classPattern = classPattern(hiding.classes);
  return { byKey, hiding, showsVisibility };
}

/**
 * Whether element `id` carries a key of a rule that surely hides (`hiding`), read off its
 * attributes without building its keys: most elements of a page carry none.
 */
function mayHide(nodes: PageNodes, id: number, hiding: HidingKeys): boolean {
  if (hiding.universal || hiding.tags.has(nodes.names[id]!)) return true;
  const { attrNames, attrValues } = nodes;
  const start = nodes.attrStart[id]!;
  const end = start + nodes.attrCount[id]!;
  for (let k = start; k < end; k++) {
    const name = attrNames[k]!;
    if (hiding.attributes.has(name)) return true;
    if (name === "id" && hiding.ids.has(attrValues[k]!)) return true;
    if (name === "class" && hiding.classPattern?.test(attrValues[k]!)) return true;
  }
  return false;
}

/** One search for any of `classes` as a whole token of a class list (no split per element). */
function classPattern(classes: Set<string>): RegExp {
  const names = [...classes].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?:^|[ \\t\\n\\f\\r])(?:${names.join("|")})(?=$|[ \\t\\n\\f\\r])`);
}

/** The index keys element `id` carries: its tag, "*", its id, its classes, its attributes' names. */
function keysOf(nodes: PageNodes, id: number): string[] {
  const keys = [nodes.names[id]!, "*"];
  const start = nodes.attrStart[id]!;
  const end = start + nodes.attrCount[id]!;
  for (let k = start; k < end; k++) keys.push(`[${nodes.attrNames[k]}`);
  const ident = nodeAttribute(nodes, id, "id");
  if (ident) keys.push(`#${ident}`);
  const classes = nodeAttribute(nodes, id, "class");
  if (classes) for (const name of classes.split(CLASS_SEPARATOR)) if (name) keys.push(`.${name}`);
  return keys;
}

/**
 * Whether `property` hides element `id` (true), shows it (false), or is not declared (null).
 * `inheritedHidden`: visibility only, the parent is hidden (an unsure rule may then show it).
 */
function decide(
  entries: Entry[],
  property: "display" | "visibility",
  element: unknown,
  nodes: PageNodes,
  id: number,
  inheritedHidden: boolean,
): boolean | null {
  let winner: Declared | null = null;
  let unsureShow: Declared | null = null;
  let any = false;
  for (const entry of entries) {
    const { rule } = entry;
    if (rule.property !== property) continue;
    any = true;
    const matches = matcher(entry);
    // A selector css-select cannot read: never trusted to hide, always allowed to show.
    if (matches === null ? rule.hides : !matches(element)) continue;
    const declared = { ...rule, specificity: specificityOf(entry) };
    if (!rule.certain || matches === null) {
      if (!rule.hides && (unsureShow === null || beats(declared, unsureShow))) unsureShow = declared;
      continue;
    }
    if (winner === null || beats(declared, winner)) winner = declared;
  }
  if (!any && !inheritedHidden) return null;
  const style = nodeAttribute(nodes, id, "style");
  if (style)
    for (const inline of inlineDeclarations(style)) {
      if (inline.property !== property) continue;
      const declared = { ...inline, layer: 0, specificity: INLINE_PRIORITY, order: INLINE_PRIORITY };
      if (winner === null || beats(declared, winner)) winner = declared;
    }
  if (winner === null) return inheritedHidden && unsureShow !== null ? false : null;
  if (winner.hides && unsureShow !== null && beats(unsureShow, winner)) return false;
  return winner.hides;
}

/** The cascade's order: importance, then layer, then specificity, then order in the sheets. */
function beats(a: Declared, b: Declared): boolean {
  if (a.important !== b.important) return a.important;
  const ra = layerRank(a);
  const rb = layerRank(b);
  if (ra !== rb) return ra > rb;
  if (a.specificity !== b.specificity) return a.specificity > b.specificity;
  return a.order > b.order;
}

/** Outside any layer beats every layer for normal declarations, loses to all for important ones. */
function layerRank(d: Declared): number {
  if (d.specificity === INLINE_PRIORITY) return INLINE_PRIORITY;
  if (d.layer === 0) return d.important ? Number.NEGATIVE_INFINITY : INLINE_PRIORITY - 1;
  return d.important ? -d.layer : d.layer;
}

function matcher(entry: Entry): ((element: unknown) => boolean) | null {
  if (entry.matches === undefined) {
    // `:has()` walks what the element holds at every test: read as a selector it cannot read.
    if (HAS.test(entry.rule.selector) || STATEFUL.test(entry.rule.selector)) {
      entry.matches = null;
      return null;
    }
    if (--compilesLeft < 0) throw new OverBudget();
    try {
      entry.matches = compile(entry.rule.selector, { pseudos: PSEUDOS }) as (element: unknown) => boolean;
    } catch {
      entry.matches = null;
    }
  }
  return entry.matches;
}

function specificityOf(entry: Entry): number {
  if (entry.specificity === undefined) {
    try {
      entry.specificity = Math.max(...parse(entry.rule.selector).map(specificity));
    } catch {
      entry.specificity = 0;
    }
  }
  return entry.specificity;
}

/** (ids, classes/attributes/pseudo-classes, types) as one number; :is/:not/:has count their most specific argument. */
function specificity(tokens: Selector[]): number {
  let total = 0;
  for (const token of tokens) {
    if (token.type === "attribute") total += token.name === "id" && token.action === "equals" ? 1e6 : 1e3;
    else if (token.type === "tag" || token.type === "pseudo-element") total += 1;
    else if (token.type === "pseudo") {
      if (Array.isArray(token.data)) {
        if (token.name !== "where") total += Math.max(0, ...token.data.map(specificity));
      } else total += 1e3;
    }
  }
  return total;
}

/**
 * What the rightmost compound of `selector` requires of an element: "#id", ".class", "[attribute",
 * a tag name, or "*". Read at the top level only (an argument of :not() requires nothing); escapes are undone.
 */
export function rightmostKey(selector: string): string {
  let start = 0;
  let depth = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]!;
    if (c === "\\") i++;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (depth === 0 && (c === " " || c === ">" || c === "+" || c === "~" || c === "\n" || c === "\t"))
      start = i + 1;
  }
  const compound = selector.slice(start);
  let tag: string | null = null;
  let className: string | null = null;
  let attribute: string | null = null;
  depth = 0;
  for (let i = 0; i < compound.length; i++) {
    const c = compound[i]!;
    if (c === "\\") i++;
    else if (c === "(" || (c === "[" && depth > 0)) depth++;
    else if (c === ")" || (c === "]" && depth > 0)) depth--;
    else if (depth === 0 && c === "[") {
      // `[hidden]`, `[data-state="closed"]`: the attribute must be present (name as HTML lowercases it).
      const name = /^\s*([\w-]+)\s*(?:[~|^$*]?=|\])/.exec(compound.slice(i + 1))?.[1];
      if (name) attribute ??= `[${name.toLowerCase()}`;
      depth++;
    } else if (depth === 0 && (c === "#" || c === ".")) {
      const name = IDENT.exec(compound.slice(i + 1))?.[0];
      // No name, or one with a hex escape (`.\31 0`) this does not decode: any element may match.
      if (!name || compound[i + 1 + name.length] === "\\") return "*";
      const key = `${c}${name.replace(/\\(.)/g, "$1")}`;
      if (c === "#") return key;
      className ??= key;
      i += name.length;
    } else if (i === 0 && /[a-zA-Z]/.test(c)) {
      const name = IDENT.exec(compound)?.[0];
      if (name && !name.includes("\\")) tag = name.toLowerCase();
    }
  }
  return className ?? attribute ?? tag ?? "*";
}
