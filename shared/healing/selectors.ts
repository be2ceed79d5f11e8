/**
 * Robust selectors for a healed element. Preference follows what survives redesigns best:
 * test id > role + name > placeholder / label > text > stable id > short CSS > positional path.
 * Every CSS selector returned for the DOM form is verified to match exactly that element.
 */
import { LABELLABLE, type ParsedPage } from "./dom.ts";
import { lowerName, NON_SPACE } from "./dom-nodes.ts";
import { classStem, findTestId, looksGenerated } from "./identifiers.ts";
import { NONE } from "./page-arrays.ts";
import type { PreparedElement } from "./prepare.ts";

export type GeneratedSelectors = { css: string; xpath: string; playwright: string };

export function cssString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\a ")}"`;
}

function jsString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

export function cssIdentifier(value: string): string {
  return value
    .replace(/^(\d)/, "\\3$1 ")
    .replace(/^-(\d)/, "-\\3$1 ")
    .replace(/[^\w-]/g, (char) => `\\${char}`);
}

/** Names short enough to read in a test and not just a dump of a container's content. */
function usableName(name: string): boolean {
  return name.length > 0 && name.length <= 60;
}

/**
 * Whether a role selector for the element matches it in the browser, where the engine's role or
 * name (the model's evidence) is not Playwright's: Playwright gives no role to a `<summary>`
 * without a `role` attribute, makes a file input a button, names a listitem only from its author's
 * label (`aria-label`, `aria-labelledby`), never from its text, and makes a `<th>` a column or row
 * header by its `scope` or, without one, by its neighbours (see thRole). The candidates form has no
 * neighbours: a `<th>` without a scope gets no role selector there (docs/heal-api.md, "Selectors
 * returned").
 */
function roleSelectable(element: PreparedElement, page?: ParsedPage, index?: number): boolean {
  if (element.attributes.role) return true;
  if (element.tag === "summary") return false;
  if (element.tag === "input" && element.attributes.type?.toLowerCase() === "file") return false;
  if (element.tag === "th")
    return (
      element.role ===
      (page && index !== undefined ? thRole(page, index) : scopeRole(element.attributes.scope))
    );
  if (element.role === "listitem")
    return Boolean(element.attributes["aria-label"]?.trim() || element.descriptor.accessibleName);
  return true;
}

function scopeRole(scope: string | undefined): string | null {
  const value = scope?.trim().toLowerCase();
  if (value === "col" || value === "colgroup") return "columnheader";
  if (value === "row" || value === "rowgroup") return "rowheader";
  return null;
}

/**
 * The role Playwright gives a `<th>`: by its scope; else a column header between header cells or
 * beside no data, a row header beside a data cell that holds something. Alone in its row: unknown
 * (Playwright's answer then depends on the table's row count), so null.
 */
function thRole(page: ParsedPage, index: number): string | null {
  const byScope = scopeRole(page.attributeOf(index, "scope"));
  if (byScope) return byScope;
  const { names, isText, next, prev, firstChild } = page.nodes;
  const sibling = (from: number, step: Int32Array) => {
    let node = step[from]!;
    while (node !== NONE && !page.isTag(node)) node = step[node]!;
    return node;
  };
  const node = page.nodeOf[index]!;
  const after = sibling(node, next);
  const before = sibling(node, prev);
  if (after === NONE && before === NONE) return null;
  const isHeader = (n: number) => n !== NONE && lowerName(names[n]!) === "th";
  if (isHeader(after) && isHeader(before)) return "columnheader";
  const holdsData = (n: number) => {
    if (n === NONE || lowerName(names[n]!) !== "td") return false;
    for (let child = firstChild[n]!; child !== NONE; child = next[child]!)
      if (isText[child] !== 1 || NON_SPACE.test(names[child]!)) return true;
    return false;
  };
  return holdsData(after) || holdsData(before) ? "rowheader" : "columnheader";
}

function uniqueBy(
  candidates: readonly PreparedElement[],
  self: number,
  same: (other: PreparedElement) => boolean,
) {
  for (let i = 0; i < candidates.length; i++) {
    if (i !== self && same(candidates[i]!)) return false;
  }
  return true;
}

/**
 * Candidates form: a Playwright-compatible selector string from the descriptor alone, unique among
 * the candidates (which are the page as the SDK saw it), or null.
 */
export function selectorForCandidate(candidates: readonly PreparedElement[], index: number): string | null {
  const element = candidates[index];
  if (!element) return null;
  if (element.testId) {
    const { name, value } = element.testId;
    if (uniqueBy(candidates, index, (o) => o.testId?.value === value)) return `[${name}=${cssString(value)}]`;
  }
  const name = element.accessibleNameDisplay;
  if (element.role && usableName(name) && roleSelectable(element)) {
    // A role selector leaves hidden elements out; test ids, ids and texts match them too.
    const same = (o: PreparedElement) =>
      !o.hidden && o.role === element.role && o.accessibleName.value === element.accessibleName.value;
    if (uniqueBy(candidates, index, same)) return `role=${element.role}[name=${cssString(name)}]`;
  }
  if (element.id && !looksGenerated(element.id) && uniqueBy(candidates, index, (o) => o.id === element.id)) {
    return `#${cssIdentifier(element.id)}`;
  }
  const text = element.descriptor.text?.trim() ?? "";
  if (usableName(text) && uniqueBy(candidates, index, (o) => o.text.value === element.text.value)) {
    return `text=${cssString(text)}`;
  }
  return element.descriptor.xpath ? `xpath=${element.descriptor.xpath}` : null;
}

/**
 * Exact-match indexes over every element of the page (head and scripts included, as css-select
 * sees them), built lazily per attribute: verifying a generated selector is then a lookup instead
 * of a walk over the whole document. Elements are node ids (page-builder.ts).
 */
class SelectorIndex {
  readonly #page: ParsedPage;
  readonly #byAttribute = new Map<string, Map<string, number[]>>();
  #byClass: Map<string, number[]> | null = null;

  constructor(page: ParsedPage) {
    this.#page = page;
  }

  withAttribute(name: string, value: string): readonly number[] {
    let index = this.#byAttribute.get(name);
    if (!index) {
      index = new Map();
      const { count, isText } = this.#page.nodes;
      for (let id = 0; id < count; id++) {
        if (isText[id] === 1) continue;
        const found = this.#page.attributeOfNode(id, name);
        if (found === undefined) continue;
        const list = index.get(found);
        if (list) list.push(id);
        else index.set(found, [id]);
      }
      this.#byAttribute.set(name, index);
    }
    return index.get(value) ?? [];
  }

  withClass(token: string): readonly number[] {
    if (!this.#byClass) {
      this.#byClass = new Map();
      const { count, isText } = this.#page.nodes;
      for (let id = 0; id < count; id++) {
        if (isText[id] === 1) continue;
        const classes = this.#page.attributeOfNode(id, "class");
        if (!classes) continue;
        for (const name of new Set(classes.split(/\s+/))) {
          if (name === "") continue;
          const list = this.#byClass.get(name);
          if (list) list.push(id);
          else this.#byClass.set(name, [id]);
        }
      }
    }
    return this.#byClass.get(token) ?? [];
  }
}

const indexes = new WeakMap<ParsedPage, SelectorIndex>();
function indexFor(page: ParsedPage): SelectorIndex {
  let index = indexes.get(page);
  if (!index) {
    index = new SelectorIndex(page);
    indexes.set(page, index);
  }
  return index;
}

/** A generated CSS selector and what it means: optional tag, one attribute equality or classes. */
type CssCandidate = { css: string; tag: string | null; attribute?: [string, string]; classes?: string[] };

/** Whether `candidate` matches element node `element` and no other element of the page. */
function matchesOnly(page: ParsedPage, candidate: CssCandidate, element: number): boolean {
  const index = indexFor(page);
  const pool = candidate.attribute
    ? index.withAttribute(candidate.attribute[0], candidate.attribute[1])
    : index.withClass(candidate.classes![0]!);
  let matched = NONE;
  for (const other of pool) {
    if (candidate.tag !== null && lowerName(page.nodes.names[other]!) !== candidate.tag) continue;
    if (candidate.classes && candidate.classes.length > 1) {
      const own = (page.attributeOfNode(other, "class") ?? "").split(/\s+/);
      if (!candidate.classes.every((token) => own.includes(token))) continue;
    }
    if (matched !== NONE) return false;
    matched = other;
  }
  return matched === element;
}

/** The parent of node `id` when it is an element of type "tag", else NONE. */
function tagParent(page: ParsedPage, id: number): number {
  const parent = page.nodes.parent[id]!;
  return parent !== NONE && page.isTag(parent) ? parent : NONE;
}

function positionalCss(page: ParsedPage, element: number): string {
  const parts: string[] = [];
  let node = page.isTag(element) ? element : NONE;
  while (node !== NONE) {
    const tag = page.nodes.names[node]!.toLowerCase();
    parts.unshift(tag === "html" || tag === "body" ? tag : `${tag}:nth-of-type(${page.positionOf(node)})`);
    node = tagParent(page, node);
  }
  return parts.join(" > ");
}

function cssCandidates(element: PreparedElement): CssCandidate[] {
  const { tag, attributes } = element;
  const result: CssCandidate[] = [];
  const byAttribute = (name: string, value: string, withTag: boolean, css: string) =>
    result.push({ css, tag: withTag ? tag : null, attribute: [name, value] });
  if (element.testId) {
    const { name, value } = element.testId;
    byAttribute(name, value, false, `[${name}=${cssString(value)}]`);
  }
  for (const name of ["placeholder", "aria-label"]) {
    const value = attributes[name];
    if (value) byAttribute(name, value, true, `${tag}[${name}=${cssString(value)}]`);
  }
  if (element.id && !looksGenerated(element.id)) {
    byAttribute("id", element.id, false, `#${cssIdentifier(element.id)}`);
  }
  if (element.name && !looksGenerated(element.name)) {
    byAttribute("name", element.name, true, `${tag}[name=${cssString(element.name)}]`);
  }
  if (attributes.href && tag === "a")
    byAttribute("href", attributes.href, true, `a[href=${cssString(attributes.href)}]`);
  for (const attribute of ["title", "alt"]) {
    const value = attributes[attribute];
    if (value) byAttribute(attribute, value, true, `${tag}[${attribute}=${cssString(value)}]`);
  }
  const stableClasses = (attributes.class ?? "")
    .split(/\s+/)
    .filter((token) => token !== "" && classStem(token) === token.toLowerCase() && !looksGenerated(token));
  for (const token of stableClasses.slice(0, 3))
    result.push({ css: `${tag}.${cssIdentifier(token)}`, tag, classes: [token] });
  if (stableClasses.length > 1) {
    const classes = stableClasses.slice(0, 3);
    result.push({ css: `${tag}.${classes.map(cssIdentifier).join(".")}`, tag, classes });
  }
  return result;
}

/** The child of element node `parent` that is the `position`-th element named `name`, or NONE. */
function nthOfType(page: ParsedPage, parent: number, name: string, position: number): number {
  const { names, isText, firstChild, next } = page.nodes;
  let seen = 0;
  for (let child = firstChild[parent]!; child !== NONE; child = next[child]!) {
    if (isText[child] === 0 && names[child] === name && ++seen === position) return child;
  }
  return NONE;
}

/** The closest ancestor with a durable hook (stable id or test id), as an anchor for a short path. */
function anchoredCss(page: ParsedPage, element: number): string | null {
  const path: number[] = [];
  let node = element;
  for (let parent = tagParent(page, node); parent !== NONE; parent = tagParent(page, node)) {
    path.unshift(node);
    const attributes = page.attributesOfNode(parent);
    const testId = findTestId(attributes);
    const id = attributes.id;
    let anchor: [string, string, string] | null = null;
    if (testId) anchor = [testId.name, testId.value, `[${testId.name}=${cssString(testId.value)}]`];
    else if (id && !looksGenerated(id)) anchor = ["id", id, `#${cssIdentifier(id)}`];
    if (anchor) {
      const steps = path.map((step) => ({ name: page.nodes.names[step]!, position: page.positionOf(step) }));
      // Unique when exactly one anchor element leads down the path, and it leads to `element`.
      let reached = NONE;
      for (const start of indexFor(page).withAttribute(anchor[0], anchor[1])) {
        let current = start;
        for (const step of steps) {
          current = nthOfType(page, current, step.name, step.position);
          if (current === NONE) break;
        }
        if (current === NONE) continue;
        if (reached !== NONE) return null;
        reached = current;
      }
      if (reached !== element) return null;
      return `${anchor[2]} > ${steps.map((step) => `${step.name.toLowerCase()}:nth-of-type(${step.position})`).join(" > ")}`;
    }
    if (path.length >= 4) return null;
    node = parent;
  }
  return null;
}

/** Page-wide lookups the Playwright locator needs to prove it matches one visible element. */
export type PageCandidates = {
  page: ParsedPage;
  /** Role and normalised accessible name of visible candidate i (computed lazily). */
  roleOf(i: number): string | null;
  nameOf(i: number): string;
  /** Candidate i's accessible name as the browser computes it, whitespace collapsed. */
  displayNameOf(i: number): string;
  /** False only when candidate i certainly does not have normalised name `name` (a cheap pre-filter). */
  mayBeNamed(i: number, name: string): boolean;
};

function playwrightLocator(
  lookup: PageCandidates,
  index: number,
  element: PreparedElement,
  css: string,
): string {
  const { page } = lookup;
  // getByTestId, getByPlaceholder and getByLabel match hidden elements too (only getByRole leaves
  // them out), and strict mode counts every match: a hidden copy makes the locator ambiguous.
  const node = page.nodeOf[index]!;
  const only = (name: string, value: string) =>
    indexFor(page)
      .withAttribute(name, value)
      .every((other) => other === node);
  const testId = element.attributes["data-testid"];
  if (testId && only("data-testid", testId)) return `getByTestId(${jsString(testId)})`;
  // The name the browser gives the element, which a `getByRole` locator must spell: it can differ
  // from the model's evidence (a link holding only an image is named by the image's alt).
  const display = element.role ? lookup.displayNameOf(index) : "";
  if (element.role && usableName(display) && roleSelectable(element, page, index)) {
    const name = lookup.nameOf(index);
    let unique = true;
    for (let i = 0; i < page.count && unique; i++) {
      if (i === index || page.hiddenFlags[i] || lookup.roleOf(i) !== element.role) continue;
      if (lookup.mayBeNamed(i, name) && lookup.nameOf(i) === name) unique = false;
    }
    if (unique) return `getByRole(${jsString(element.role)}, { name: ${jsString(display)}, exact: true })`;
  }
  const placeholder = element.attributes.placeholder;
  if (placeholder && only("placeholder", placeholder)) return `getByPlaceholder(${jsString(placeholder)})`;
  const label = element.descriptor.accessibleName ?? element.attributes["aria-label"];
  if (label && /^(input|select|textarea)$/.test(element.tag)) {
    let unique = only("aria-label", label);
    for (let i = 0; i < page.count && unique; i++) {
      if (i !== index && LABELLABLE.has(page.tags[i]!) && page.labelOf(i) === label) unique = false;
    }
    if (unique) return `getByLabel(${jsString(label)}, { exact: true })`;
  }
  return `locator(${jsString(css)})`;
}

/** The shortest generated CSS selector verified to match exactly element `index` of the page. */
export function cssForPageElement(page: ParsedPage, index: number, element: PreparedElement): string {
  const node = page.nodeOf[index]!;
  for (const candidate of cssCandidates(element)) {
    if (matchesOnly(page, candidate, node)) return candidate.css;
  }
  return anchoredCss(page, node) ?? positionalCss(page, node);
}

/** CSS (verified unique), absolute xpath and a Playwright locator for element `index` of the page. */
export function selectorsForPageElement(
  lookup: PageCandidates,
  index: number,
  element: PreparedElement,
): GeneratedSelectors {
  const { page } = lookup;
  const css = cssForPageElement(page, index, element);
  return {
    css,
    xpath: page.browserXpathOf(page.nodeOf[index]!),
    playwright: playwrightLocator(lookup, index, element, css),
  };
}
