/**
 * Locators as Selenium and Cypress suites write them, rewritten to a selector the engine reads (CSS,
 * XPath or `text=`), so a broken `By.id("save")` heals like `[id="save"]` (docs/heal-api.md, "selector").
 * Anything else is handed back unchanged.
 *
 * Read: Selenium's `By.toString()` as Java and C# print it (`By.id: save`, `By.cssSelector: .btn`);
 * `By.<how>("…")` calls (Java, JavaScript, C#), also inside `driver.findElement(…)`; Python's
 * `(By.ID, "save")` and `find_element_by_id("save")`; Ruby's `find_element(:id, "save")` and
 * `find_element(id: "save")`. Cypress chains (`cy.get("…").find("…").contains("…")`) are read with
 * Playwright's (locator-chains.ts).
 */

import { chainedSelector } from "./locator-chains.ts";
import { cssString, QUOTED, unquote } from "./quoted.ts";

/** An XPath literal: XPath 1.0 has no escapes, so the quote the value lacks is used. */
function xpathLiteral(value: string): string | null {
  if (!value.includes("'")) return `'${value}'`;
  return value.includes('"') ? null : `"${value}"`;
}

const IDENTIFIER = /^-?[_a-zA-Z][\w-]*$/;

/** Selenium's locator strategies, by name without case, `_` or spaces (Ruby's symbols included). */
function fromStrategy(how: string, value: string): string | null {
  const text = value.trim();
  switch (how.toLowerCase().replace(/[_\s]/g, "")) {
    case "id":
      return `[id=${cssString(text)}]`;
    case "name":
      return `[name=${cssString(text)}]`;
    case "classname":
    case "class":
      return IDENTIFIER.test(text) ? `.${text}` : `[class~=${cssString(text)}]`;
    case "tagname":
    case "tag":
      return IDENTIFIER.test(text) ? text.toLowerCase() : null;
    case "cssselector":
    case "css":
    case "xpath":
      return text;
    case "linktext":
    case "link": {
      const literal = xpathLiteral(text);
      return literal ? `//a[normalize-space()=${literal}]` : `text=${text}`;
    }
    case "partiallinktext":
    case "partiallink": {
      const literal = xpathLiteral(text);
      return literal ? `//a[contains(.,${literal})]` : `text=${text}`;
    }
    default:
      return null;
  }
}

/**
 * The selector the engine reads for a Selenium or Cypress locator, or a Playwright locator chain
 * written as code (locator-chains.ts); any other selector unchanged.
 */
export function nativeSelector(selector: string): string {
  // Playwright and Cypress chains, with any action after them (`.click()`, `.type('x')`) left out.
  const chained = chainedSelector(selector, true);
  if (chained !== null) return chained;
  const trimmed = selector.trim();
  // Java's and C#'s By.toString(): "By.id: save", "By.CssSelector: .btn".
  const printed = /^By\.(\w+):\s*([\s\S]+)$/.exec(trimmed);
  if (printed) return fromStrategy(printed[1]!, printed[2]!) ?? selector;
  // By.id("save"), By.css('.btn'), driver.findElement(By.xpath("//a")).
  const call = new RegExp(String.raw`(?:^|[^\w.])By\.(\w+)\(\s*` + QUOTED + String.raw`\s*\)`).exec(trimmed);
  if (call) return fromStrategy(call[1]!, unquote(call, 2)) ?? selector;
  // Python: (By.ID, "save"), find_element(By.CSS_SELECTOR, ".btn").
  const python = new RegExp(String.raw`(?:^|[^\w.])By\.([A-Z_]+)\s*,\s*` + QUOTED).exec(trimmed);
  if (python) return fromStrategy(python[1]!, unquote(python, 2)) ?? selector;
  // Python's older find_element_by_id("save").
  const byName = new RegExp(String.raw`find_elements?_by_(\w+)\(\s*` + QUOTED).exec(trimmed);
  if (byName) return fromStrategy(byName[1]!, unquote(byName, 2)) ?? selector;
  // Ruby: find_element(:id, "save"), find_element(id: "save").
  const ruby = new RegExp(String.raw`find_elements?\(\s*(?::(\w+)\s*,|(\w+):)\s*` + QUOTED).exec(trimmed);
  if (ruby) return fromStrategy(ruby[1] ?? ruby[2]!, unquote(ruby, 3)) ?? selector;
  return selector;
}
