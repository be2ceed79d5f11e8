/**
 * The element a selector names on the old page (previousDom): CSS, XPath or Playwright's getBy*
 * engines, or Playwright's `>>` chain of them, as heal.ts's DOM form reads it (docs/heal-api.md,
 * "DOM form").
 */
import { selectAll } from "css-select";
import { accessibleNameOf } from "./aria.ts";
import { asDomhandler, type Element, fromDomhandler, type PageElement, type ParsedPage } from "./dom.ts";
import { isElementNode } from "./dom-nodes.ts";
import { roleOfPageElement } from "./page-roles.ts";
import { type EnginePart, matchesText, readEngine, splitChain } from "./playwright-engines.ts";
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

const collapse = (text: string) => text.replace(/\s+/g, " ").trim().toLowerCase();

/**
 * The elements of `within` that no other one contains: searching inside them finds the same
 * elements, each subtree once (nested matches, `div >> div`, would otherwise be walked again per
 * level).
 */
function outermost(page: ParsedPage, within: Element[]): Element[] {
  const all = new Set(within);
  const insideAnother = (e: Element) => {
    for (let parent = e.parent; parent; parent = parent.parent) if (all.has(parent as Element)) return true;
    return false;
  };
  // Non-candidates (html, body, head and what it holds) are few and shallow.
  const kept = within.filter((e) => e.index < 0 && !insideAnother(e));
  spend(kept.length * page.count);
  // Every candidate is inside body.
  if (kept.some((e) => e.name === "html" || e.name === "body")) return kept;
  // Candidates are in document order: an element's descendants follow it, deeper than it.
  let end = -1;
  for (const e of within.filter((e) => e.index >= 0).sort((a, b) => a.index - b.index)) {
    if (e.index < end) continue;
    kept.push(e);
    for (end = e.index + 1; end < page.count && page.depth[end]! > page.depth[e.index]!; end++);
    spend(end - e.index);
  }
  return kept;
}

/** The elements one CSS or XPath part matches, inside `within` (XPath only at the start); null: unreadable. */
function matchPart(page: ParsedPage, part: string, within: Element[] | null): Element[] | null {
  if (within === null) spend(page.count);
  if (/^(xpath=|\/|\(\/)/.test(part)) {
    if (within !== null) return null;
    return evaluateXpath(page.document, part.replace(/^xpath=/, "").replace(/^\((.*)\)(\[\d+\])?$/, "$1"));
  }
  // css-select has no :has-text: it is taken off and applied as Playwright does (case-insensitive,
  // whitespace-collapsed substring of the element's text).
  const texts = [...part.matchAll(HAS_TEXT)].map((m) =>
    collapse((m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1")),
  );
  const css = part.replace(/^css=/, "").replace(HAS_TEXT, "").trim() || "*";
  try {
    // css-select also tests the context elements themselves; a `>>` part searches inside them only.
    const scope =
      within === null
        ? asDomhandler(page.document)
        : outermost(page, within)
            .flatMap((e) => e.children.filter(isElementNode))
            .map(asDomhandler);
    const matched = fromDomhandler(selectAll(css, scope));
    return texts.length === 0
      ? matched
      : matched.filter((e) => texts.every((t) => collapse(textOf(e)).includes(t)));
  } catch {
    return null;
  }
}

/** The visible candidates inside `within` (every visible candidate when null, or when html or body is in it). */
function scopeOf(page: ParsedPage, within: Element[] | null): number[] {
  const inside = new Set<number>();
  if (within === null || within.some((e) => e.index < 0)) {
    spend(page.count);
    for (let i = 0; i < page.count; i++) inside.add(i);
  } else {
    // Candidates are in document order: an element's descendants follow it, deeper than it. An
    // element inside one already read adds nothing, so nested matches cost one pass.
    let end = -1;
    for (const index of within.map((e) => e.index).sort((a, b) => a - b)) {
      if (index < end) continue;
      for (end = index + 1; end < page.count && page.depth[end]! > page.depth[index]!; end++) inside.add(end);
      spend(end - index);
    }
  }
  return [...inside].filter((i) => !page.hiddenFlags[i]);
}

/** Whether candidate i matches a getBy* engine; null: the engine holds a regex, which is not run. */
function matchesEngine(page: ParsedPage, i: number, engine: EnginePart, roles: Map<string, string | null>) {
  switch (engine.engine) {
    case "role": {
      if (roleOfPageElement(page, i, page.attributeOf(i, "role"), roles) !== engine.role) return false;
      if (!engine.name) return true;
      const label = page.labelOf(i);
      const named = { tag: page.tags[i]!, text: page.textOf(i), ...(label ? { accessibleName: label } : {}) };
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
    case "has-text":
    case "has-not-text": {
      const has = matchesText(page.textOf(i), engine.match);
      return has === null ? null : has === (engine.engine === "has-text");
    }
    default:
      return null; // has / has-not: matchEngine runs their nested chain.
  }
}

/**
 * The elements a getBy* engine part matches inside `within`; a has-text filter keeps those of
 * `within` it matches. getByText, as Playwright's, names the innermost elements holding the text.
 * Null: unreadable, or a regex.
 */
function matchEngine(page: ParsedPage, engine: EnginePart, within: Element[] | null): Element[] | null {
  if (engine.engine === "has" || engine.engine === "has-not") {
    // `.filter({ has })` keeps the elements with a match of the nested locator inside them.
    const nested = splitChain(engine.selector);
    if (within === null || nested.length > MAX_CHAIN_PARTS) return null;
    const kept: Element[] = [];
    for (const element of within) {
      spend(1);
      const inside = matchChain(page, nested, [element]);
      if (inside === null) return null;
      if ((inside.found ?? []).length > 0 === (engine.engine === "has")) kept.push(element);
    }
    return kept;
  }
  const roles = new Map<string, string | null>();
  const filtering = engine.engine === "has-text" || engine.engine === "has-not-text";
  if (filtering && within === null) return null;
  const candidates = filtering ? within!.map((e) => e.index).filter((i) => i >= 0) : scopeOf(page, within);
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
