/**
 * The element a selector names on the old page (previousDom): CSS or XPath, or Playwright's `>>`
 * chain of them, as heal.ts's DOM form reads it (docs/heal-api.md, "DOM form").
 */
import { selectAll } from "css-select";
import { asDomhandler, type Element, fromDomhandler, type PageElement, type ParsedPage } from "./dom.ts";
import { isElementNode } from "./dom-nodes.ts";
import { evaluateXpath, textOf } from "./xpath.ts";

const HAS_TEXT = /:has-text\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)/g;

const collapse = (text: string) => text.replace(/\s+/g, " ").trim().toLowerCase();

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
        : within.flatMap((e) => e.children.filter(isElementNode)).map(asDomhandler);
    const matched = fromDomhandler(selectAll(css, scope));
    return texts.length === 0
      ? matched
      : matched.filter((e) => texts.every((t) => collapse(textOf(e)).includes(t)));
  } catch {
    return null;
  }
}

/**
 * The old element a CSS or XPath selector names, also as Playwright's `>>` chain of them, each part
 * searched inside the previous one's matches, with `nth=N` picking one (negative from the end).
 */
export function findOldElement(page: ParsedPage, selector: string): PageElement | null {
  let found = null as Element[] | null;
  for (const part of selector.trim().split(/\s+>>\s+/)) {
    const nth = /^nth=(-?\d+)$/.exec(part);
    if (nth) {
      const one = found?.at(Number(nth[1]));
      if (!one) return null;
      found = [one];
    } else {
      found = matchPart(page, part, found);
      if (found === null) return null;
    }
  }
  for (const element of found ?? []) {
    const index = page.indexOf.get(element);
    if (index !== undefined) return page.elements[index]!;
  }
  return null;
}
