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
  // Every candidate is inside body.
  if (kept.some((e) => e.name === "html" || e.name === "body")) return kept;
  // Candidates are in document order: an element's descendants follow it, deeper than it.
  let end = -1;
  for (const e of within.filter((e) => e.index >= 0).sort((a, b) => a.index - b.index)) {
    if (e.index < end) continue;
    kept.push(e);
    for (end = e.index + 1; end < page.count && page.depth[end]! > page.depth[e.index]!; end++);
  }
  return kept;
}

/** The elements one CSS or XPath part matches, inside `within` (XPath only at the start); null: unreadable. */
function matchPart(page: ParsedPage, part: string, within: Element[] | null): Element[] | null {
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
    for (let i = 0; i < page.count; i++) inside.add(i);
  } else {
    // Candidates are in document order: an element's descendants follow it, deeper than it. An
    // element inside one already read adds nothing, so nested matches cost one pass.
    let end = -1;
    for (const index of within.map((e) => e.index).sort((a, b) => a - b)) {
      if (index < end) continue;
      for (end = index + 1; end < page.count && page.depth[end]! > page.depth[index]!; end++) inside.add(end);
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
    default: {
      const has = matchesText(page.textOf(i), engine.match);
      return has === null ? null : has === (engine.engine === "has-text");
    }
  }
}

/**
 * The elements a getBy* engine part matches inside `within`; a has-text filter keeps those of
 * `within` it matches. getByText, as Playwright's, names the innermost elements holding the text.
 * Null: unreadable, or a regex.
 */
function matchEngine(page: ParsedPage, engine: EnginePart, within: Element[] | null): Element[] | null {
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
 * The old element a CSS, XPath or getBy* engine selector names, also as Playwright's `>>` chain of
 * them, each part searched inside the previous one's matches, with `nth=N` picking one (negative
 * from the end).
 */
export function findOldElement(page: ParsedPage, selector: string): PageElement | null {
  const parts = splitChain(selector.trim());
  if (parts.length > MAX_CHAIN_PARTS) return null;
  let found = null as Element[] | null;
  // A getBy* match is approximate here (no CSS, so no computed visibility): when one leaves several
  // elements, which one the test meant is unknown, unless an nth picks.
  let approximate = false;
  for (const part of parts) {
    const nth = /^nth=(-?\d+)$/.exec(part);
    if (nth) {
      const one = found?.at(Number(nth[1]));
      if (!one) return null;
      found = [one];
      approximate = false;
    } else if (readEngine(part)) {
      found = matchEngine(page, readEngine(part)!, found);
      if (found === null) return null;
      approximate = true;
    } else {
      found = matchPart(page, part, found);
      if (found === null) return null;
    }
  }
  if (approximate && found !== null && found.length > 1) return null;
  for (const element of found ?? []) {
    const index = page.indexOf.get(element);
    if (index !== undefined) return page.elements[index]!;
  }
  return null;
}
