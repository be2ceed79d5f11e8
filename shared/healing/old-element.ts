/**
 * The element a selector names on the old page (previousDom): CSS, XPath or Playwright's getBy*
 * engines, or Playwright's `>>` chain of them, as heal.ts's DOM form reads it (docs/heal-api.md,
 * "DOM form").
 */
import { selectAll } from "css-select";
import { accessibleNameOf } from "./aria.ts";
import { contentNameOf } from "./content-name.ts";
import { asDomhandler, type Element, fromDomhandler, type PageElement, type ParsedPage } from "./dom.ts";
import { isElementNode } from "./dom-nodes.ts";
import { roleOfPageElement } from "./page-roles.ts";
import {
  type EnginePart,
  matchesText,
  readEngine,
  splitChain,
  type TextMatch,
} from "./playwright-engines.ts";
import { evaluateXpath, textOf } from "./xpath.ts";

/** Chains people write have a handful of parts; each part costs a pass over the page. */
const MAX_CHAIN_PARTS = 32;

/**
 * Elements one findOldElement may visit, counted part by part (a `has` filter runs its selector
 * inside each element it filters, so nested filters multiply); past it the old element is unknown
 * and the selector is read as partial evidence. A real chain on a 10k-element page visits tens of
 * thousands.
 */
const MAX_VISITS = 200_000;
class OverBudget extends Error {}
let visitsLeft = 0;
function spend(visits: number) {
  visitsLeft -= visits;
  if (visitsLeft < 0) throw new OverBudget();
}

const HAS_TEXT = /:has-text\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)/g;

/**
 * Whether an element holds a text, as Playwright's has-text filters test it (`:has-text("…")`,
 * `.filter({ hasText })`): its whole text, however long; null for a regex, which is not run.
 */
const holdsText = (element: Element, match: TextMatch) => matchesText(textOf(element), match);

/** The elements of `within` a test keeps; null when the test cannot answer for one. */
function keepWhere(within: Element[], test: (element: Element) => boolean | null): Element[] | null {
  const kept: Element[] = [];
  for (const element of within) {
    const keep = test(element);
    if (keep === null) return null;
    if (keep) kept.push(element);
  }
  return kept;
}

/**
 * A part's search root: an element and the range of candidates inside it, [from, to) (candidates
 * are in document order, an element's descendants right after it; html and body hold them all).
 */
type Root = { element: Element; from: number; to: number };

/**
 * The elements of `within` that no other one contains, with their ranges: searching inside them
 * finds what a search inside all of `within` finds, each subtree once (nested matches, `div >> div`,
 * would otherwise be walked again per level).
 */
function outermost(page: ParsedPage, within: Element[]): Root[] {
  const all = new Set(within);
  const insideAnother = (e: Element) => {
    for (let parent = e.parent; parent; parent = parent.parent) if (all.has(parent as Element)) return true;
    return false;
  };
  // Non-candidates (html, body, head and what it holds) are few and shallow; only html and body
  // hold candidates, and then every one.
  const roots = within
    .filter((e) => e.index < 0 && !insideAnother(e))
    .map((element) => ({
      element,
      from: 0,
      to: element.name === "html" || element.name === "body" ? page.count : 0,
    }));
  spend(roots.length * page.count);
  if (roots.some((root) => root.to > 0)) return roots;
  let end = -1;
  for (const e of within.filter((e) => e.index >= 0).sort((a, b) => a.index - b.index)) {
    if (e.index < end) continue;
    end = page.subtreeEnd(e.index);
    roots.push({ element: e, from: e.index + 1, to: end });
    spend(end - e.index);
  }
  return roots;
}

/** The elements one CSS or XPath part matches, inside `within` (XPath only at the start); null: unreadable. */
function matchPart(page: ParsedPage, part: string, within: Element[] | null): Element[] | null {
  if (within === null) spend(page.count);
  if (/^(xpath=|\/|\(\/)/.test(part)) {
    if (within !== null) return null;
    return evaluateXpath(page.document, part.replace(/^xpath=/, "").replace(/^\((.*)\)(\[\d+\])?$/, "$1"));
  }
  // css-select has no :has-text: it is taken off and applied as Playwright does.
  const texts = [...part.matchAll(HAS_TEXT)].map(
    (m): TextMatch => ({ text: (m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1"), exact: false }),
  );
  const css = part.replace(/^css=/, "").replace(HAS_TEXT, "").trim() || "*";
  try {
    // css-select also tests the context elements themselves; a `>>` part searches inside them only.
    const scope =
      within === null
        ? asDomhandler(page.document)
        : outermost(page, within)
            .flatMap(({ element }) => element.children.filter(isElementNode))
            .map(asDomhandler);
    const matched = fromDomhandler(selectAll(css, scope));
    return keepWhere(matched, (e) => texts.every((t) => holdsText(e, t)));
  } catch {
    return null;
  }
}

/** The visible candidates inside `within` (every visible candidate when null). */
function scopeOf(page: ParsedPage, within: Element[] | null): number[] {
  const inside: number[] = [];
  if (within === null) {
    spend(page.count);
    for (let i = 0; i < page.count; i++) inside.push(i);
  } else for (const { from, to } of outermost(page, within)) for (let i = from; i < to; i++) inside.push(i);
  return inside.filter((i) => !page.hiddenFlags[i]);
}

/** Whether candidate i matches a getBy* engine; null: the engine holds a regex, which is not run. */
function matchesEngine(page: ParsedPage, i: number, engine: EnginePart, roles: Map<string, string | null>) {
  switch (engine.engine) {
    case "role": {
      if (roleOfPageElement(page, i, page.attributeOf(i, "role"), roles) !== engine.role) return false;
      if (!engine.name) return true;
      // The name the browser gives it, which the test's author read: a link holding only an image
      // is named by the image's alt (content-name.ts).
      const label = page.labelOf(i);
      const text = contentNameOf(page, i);
      const named = { tag: page.tags[i]!, text, ...(label ? { accessibleName: label } : {}) };
      return matchesText(accessibleNameOf(named, named.tag, page.attributesOf(i), engine.role), engine.name);
    }
    case "text":
      return matchesText(page.textOf(i), engine.match);
    case "label":
      return matchesText(page.labelOf(i) || (page.attributeOf(i, "aria-label") ?? ""), engine.match);
    case "attr": {
      const value = page.attributeOf(i, engine.attribute);
      return value === undefined ? false : matchesText(value, engine.match);
    }
    default:
      return null; // Filters (has-text, has): matchEngine applies them to the elements before.
  }
}

/**
 * The elements a getBy* engine part matches inside `within`; a filter (has-text, has) keeps those of
 * `within` it matches. getByText, as Playwright's, names the innermost elements holding the text
 * (their visible text as the engine reads it, capped: it is read for every candidate; a filter reads
 * its few elements' whole text). Null: unreadable, or a regex.
 */
function matchEngine(page: ParsedPage, engine: EnginePart, within: Element[] | null): Element[] | null {
  switch (engine.engine) {
    case "has-text":
    case "has-not-text": {
      const keep = engine.engine === "has-text";
      return (
        within &&
        keepWhere(within, (e) => {
          const has = holdsText(e, engine.match);
          return has === null ? null : has === keep;
        })
      );
    }
    case "has":
    case "has-not": {
      // `.filter({ has })` keeps the elements with a match of the nested locator inside them.
      const nested = splitChain(engine.selector);
      if (within === null || nested.length > MAX_CHAIN_PARTS) return null;
      const keep = engine.engine === "has";
      return keepWhere(within, (e) => {
        spend(1);
        const inside = matchChain(page, nested, [e]);
        return inside && (inside.found ?? []).length > 0 === keep;
      });
    }
  }
  const roles = new Map<string, string | null>();
  const candidates = scopeOf(page, within);
  const matched = new Set<number>();
  for (const i of candidates) {
    const matches = matchesEngine(page, i, engine, roles);
    if (matches === null) return null;
    if (matches) matched.add(i);
  }
  if (engine.engine === "text") for (const i of matched) matched.delete(page.parentIndex[i]!);
  return [...matched].sort((a, b) => a - b).map((i) => page.elements[i] as Element);
}

/**
 * What a chain's parts match inside `within` (the whole page when null), each part searched inside
 * the previous one's matches, `nth=N` picking one (negative from the end). `approximate`: a getBy*
 * part decided the matches (no CSS here, so no computed visibility). Null: unreadable.
 */
function matchChain(
  page: ParsedPage,
  parts: string[],
  within: Element[] | null,
): { found: Element[] | null; approximate: boolean } | null {
  let found = within;
  let approximate = false;
  for (const part of parts) {
    const nth = /^nth=(-?\d+)$/.exec(part);
    const engine = nth ? null : readEngine(part);
    if (nth) {
      const one = found?.at(Number(nth[1]));
      if (!one) return null;
      found = [one];
      approximate = false;
    } else if (engine) {
      found = matchEngine(page, engine, found);
      approximate = true;
    } else found = matchPart(page, part, found);
    if (found === null) return null;
  }
  return { found, approximate };
}

/**
 * The old element a CSS, XPath or getBy* engine selector names, also as Playwright's `>>` chain of
 * them (matchChain). When a getBy* part leaves several elements, which one the test meant is
 * unknown (Playwright's strict mode would have refused it) unless an nth picks: none is named.
 */
export function findOldElement(page: ParsedPage, selector: string): PageElement | null {
  const parts = splitChain(selector.trim());
  if (parts.length > MAX_CHAIN_PARTS) return null;
  visitsLeft = MAX_VISITS;
  let matched: ReturnType<typeof matchChain>;
  try {
    matched = matchChain(page, parts, null);
  } catch (error) {
    if (error instanceof OverBudget) return null;
    throw error;
  }
  if (matched === null || (matched.approximate && (matched.found?.length ?? 0) > 1)) return null;
  for (const element of matched.found ?? []) {
    const index = page.indexOf.get(element);
    if (index !== undefined) return page.elements[index]!;
  }
  return null;
}
