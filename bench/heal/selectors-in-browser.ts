/**
 * The engine's reading of a page held against Chromium's: the indexed xpaths of a page's elements
 * on both sides, and whether the selectors a DOM-form heal answered name, in the browser page,
 * exactly the element meant (the `playwright` locator, the CSS selector and the xpath, each run in
 * the page). Shared by the Chromium tests (test/e2e/sdk/heal-locators.spec.ts,
 * parse-like-browser.spec.ts) and `bench:parse-browser` (bench/parse-vs-browser.ts).
 */
import type { Locator, Page } from "playwright-core";
import { parsePage } from "../../shared/healing/dom.ts";

/** A browser parses template and (with scripting on) noscript content apart from the document. */
const PARSED_APART = /\/(template|noscript)\[\d+\]\//;

/** Every element of `html` as the engine's xpath (browserXpathOf), in document order. */
export function engineXpaths(html: string): string[] {
  const parsed = parsePage(html);
  const { isText, firstChild, next, rootFirst } = parsed.nodes;
  const xpaths: string[] = [];
  // In sibling order (document order), as Chromium lists them.
  const visit = (first: number) => {
    for (let id = first; id !== -1; id = next[id]!) {
      if (isText[id] === 1) continue;
      xpaths.push(parsed.browserXpathOf(id));
      visit(firstChild[id]!);
    }
  };
  visit(rootFirst);
  return xpaths.filter((xpath) => !PARSED_APART.test(xpath));
}

/**
 * Chromium's indexed xpath of each element `selector` matches in the loaded page, in document order,
 * in the engine's form (an svg or math step as `*[name()='…']`): with `shownOnly`, only those the
 * browser shows; with `limit`, at most that many, spread evenly over the page.
 */
export function chromiumXpaths(
  page: Page,
  selector = "*",
  options: { shownOnly?: boolean; limit?: number } = {},
): Promise<string[]> {
  return page.locator(selector).evaluateAll((els, { shownOnly, limit }) => {
    const xhtml = "http://www.w3.org/1999/xhtml";
    const nameOf = (el: Element) => (el.namespaceURI === xhtml ? el.localName : el.nodeName);
    const kept = shownOnly ? els.filter((el) => el.checkVisibility()) : els;
    const step = limit ? Math.max(1, Math.floor(kept.length / limit)) : 1;
    return kept
      .filter((_, i) => i % step === 0)
      .slice(0, limit ?? kept.length)
      .map((el) => {
        const steps: string[] = [];
        for (let node: Element | null = el; node; node = node.parentElement) {
          let position = 1;
          for (let s = node.previousElementSibling; s; s = s.previousElementSibling)
            if (nameOf(s) === nameOf(node) && s.namespaceURI === node.namespaceURI) position++;
          const name = nameOf(node);
          steps.unshift(
            node.namespaceURI === xhtml ? `${name}[${position}]` : `*[name()='${name}'][${position}]`,
          );
        }
        return `/${steps.join("/")}`;
      });
  }, options);
}

type Answer = { selector: string | null; xpath: string | null; playwright: string | null } | null;

/** The Locator a heal's `playwright` field stands for: `getBy…(…)` or `locator(…)` on the page. */
export function locatorFrom(page: Page, code: string): Locator {
  if (!/^(getBy[A-Za-z]+|locator)\(/.test(code)) throw new Error(`not a Playwright locator: ${code}`);
  return new Function("page", `return page.${code};`)(page) as Locator;
}

/** One line per answered selector that does not name exactly the element at `xpath` (or no answer). */
export async function wrongSelectors(page: Page, xpath: string, answer: Answer): Promise<string[]> {
  if (!answer?.playwright || !answer.selector || !answer.xpath) return [`${xpath}: no answer`];
  const target = await page.locator(`xpath=${xpath}`).elementHandle();
  const wrong: string[] = [];
  for (const [form, written, locator] of [
    ["playwright", answer.playwright, locatorFrom(page, answer.playwright)],
    ["css", answer.selector, page.locator(answer.selector)],
    ["xpath", answer.xpath, page.locator(`xpath=${answer.xpath}`)],
  ] as const) {
    const count = await locator.count();
    if (count !== 1 || !(await locator.evaluate((el, other) => el === other, target)))
      wrong.push(`${xpath}: ${form} ${written} names ${count}`);
  }
  return wrong;
}

/**
 * The candidates of `html` whose hidden state the engine reads otherwise than Chromium shows the
 * loaded page (`checkVisibility`, the `visibility` property included): "hidden" where the engine
 * hides what Chromium shows, "shown" the reverse. Elements under `aria-hidden` are left out (the
 * engine keeps them out of answers on purpose; the browser shows them), and so are the options of a
 * select (Chromium lays none out, but Playwright's getByRole finds them, and the engine keeps them).
 */
export async function hiddenDisagreements(
  page: Page,
  html: string,
): Promise<{ hidden: string[]; shown: string[] }> {
  const parsed = parsePage(html);
  const engine = new Map<string, boolean>();
  for (let i = 0; i < parsed.count; i++)
    engine.set(parsed.browserXpathOf(parsed.nodeOf[i]!), parsed.hiddenFlags[i] === 1);
  const xpaths = await chromiumXpaths(page);
  const visible = await page
    .locator("*")
    .evaluateAll((els) =>
      els.map((el) =>
        el.closest("[aria-hidden=true], select option")
          ? null
          : el.checkVisibility({ visibilityProperty: true }),
      ),
    );
  const hidden: string[] = [];
  const shown: string[] = [];
  xpaths.forEach((xpath, k) => {
    const engineHidden = engine.get(xpath);
    if (engineHidden === undefined || visible[k] === null) return;
    if (engineHidden && visible[k]) hidden.push(xpath);
    else if (!engineHidden && !visible[k]) shown.push(xpath);
  });
  return { hidden, shown };
}
