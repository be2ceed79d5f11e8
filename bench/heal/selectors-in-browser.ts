/**
 * Whether the selectors a DOM-form heal answered name, in a real browser page, exactly the element
 * meant: the `playwright` locator, the CSS selector and the xpath, each run in the page. Shared by
 * the Chromium test of returned selectors (test/e2e/sdk/heal-locators.spec.ts) and
 * `bench:parse-browser` (bench/parse-vs-browser.ts).
 */
import type { Locator, Page } from "playwright-core";

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
