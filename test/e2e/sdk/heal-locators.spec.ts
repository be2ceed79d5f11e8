// The selectors a DOM-form heal returns are pasted into tests and run by the SDK: each must name, in
// real Chromium, exactly the element the engine meant. The engine reads pages without a browser, so
// this checks its reading of accessible names and text (docs/heal-api.md, "DOM form") against the
// browser's own on markup real pages use: <wbr> inside words, aria-hidden icons with text, inline
// phrasing elements, images, svg titles and labelled children as names (a text link "Up" beside
// image links whose alt is "Up" is no unique name), the space an inline element's text ends with
// (Sphinx's "<span>5.1. </span>Shebang"), header cells (a column or row header by
// scope or neighbours), file inputs (buttons to Playwright), svg elements (which browsers' XPath names only
// as *[name()='svg']), labels, cells, entities.
import { expect, type Page, test } from "@playwright/test";
import { chromiumXpaths, wrongSelectors } from "../../../bench/heal/selectors-in-browser.ts";
import { healDom } from "../../../shared/healing/heal.ts";

const PAGE = `<!doctype html><html><head><title>names</title></head><body>
<header><a href="/"><img alt="Acme home" src="data:,"></a>
  <nav><a href="/docs">Docs</a><a href="/blog">Blog</a><a href="/s"><svg width="10" height="10"><title>Search</title><rect width="10" height="10"/></svg></a></nav></header>
<main>
  <h1>Release<br>notes</h1>
  <h2><a href="#crate">proc_<wbr>macro</a><span class="version">1.95.0</span></h2>
  <h2 class="location"><a href="#">Token<wbr>Tree</a></h2>
  <h2><span class="section-number">5.1. </span>Shebang lines<a class="headerlink" href="#shebang">¶</a></h2>
  <button><span aria-hidden="true">×</span> Close</button>
  <button><span class="material-icons" aria-hidden="true">delete</span>Delete</button>
  <button><i aria-label="Settings"></i></button>
  <button>Go <kbd>G</kbd></button>
  <button><div>Add</div><div>to cart</div></button>
  <a href="/more">Read <em>more</em> about <abbr title="Cascading Style Sheets">CSS</abbr></a>
  <a href="/toc/16"><strong aria-hidden="true">16.101.</strong> xtensa-*-none-elf</a>
  <a href="/fish">Fish&nbsp;&amp;&nbsp;chips</a>
  <a href="/time">Updated <time datetime="2026-12-01">1 Dec</time></a>
  <p>Price <del>12</del><ins>10</ins> EUR <a href="/buy">Buy<sup>*</sup></a></p>
  <form>
    <label for="email">E-mail</label><input id="email" type="email">
    <label>Remember me <input type="checkbox" name="remember"></label>
    <input type="submit" value="Sign in">
    <select aria-label="Country"><option>France</option><option>Italy</option></select>
  </form>
  <table><tr><th>Name</th><th>Qty</th></tr><tr><td>Widget<wbr>Pro</td><td><a href="/w">Edit</a></td></tr>
    <tr><th scope="row">Gadget</th><td>3</td></tr></table>
  <table><tr><th>Fruit</th><th>Count</th></tr><tr><th>Pear</th><td>4</td></tr><tr><th>Plum</th><td></td></tr></table>
  <input type="file" aria-label="Upload">
  <nav><a href="/up"><img alt="Up" src="data:,"></a><a href="/top"><img alt="Up" src="data:,"></a><a href="/up2">Up</a>
    <a href="/shop"><img alt="Brand" src="data:,"> Shop</a><button><span aria-label="Remove item">x</span></button></nav>
  <ul><li><a href="/a">Alpha</a></li><li><a href="/b">Beta <span hidden>old</span></a></li><li><a href="/c" style="display:none">Gamma</a><a href="/c2">Gamma</a></li></ul>
  <details><summary>More <b>options</b></summary><button>Reset</button></details>
</main></body></html>`;

// The same page as an HTML minifier leaves it (optional tags dropped): no head or body tags.
const MINIFIED = PAGE.replace(/<\/?(head|body)>/g, "").replace(/\n\s*/g, "");

// Every element a test could act on or assert, by the indexed xpath a stored selector would carry.
const TARGETS = "a, button, h1, h2, input, select, summary, td, th, li, svg";

for (const [form, html] of [
  ["as written", PAGE],
  ["minified", MINIFIED],
] as const)
  test(`every selector a DOM-form heal returns names exactly the element in Chromium (${form})`, async ({
    page,
  }) => {
    await check(page, html);
  });

async function check(page: Page, html: string) {
  await page.setContent(html);
  const xpaths = await chromiumXpaths(page, TARGETS, { shownOnly: true });
  expect(xpaths.length).toBeGreaterThan(25);
  const wrong: string[] = [];
  for (const xpath of xpaths) {
    // The page unchanged: the old element is the new one, so every answer is known.
    const result = await healDom({ selector: xpath, dom: html, previousDom: html });
    // Healed, or offered as the suggestion (an svg inside its link is a near tie with the link):
    // either way the selectors are what a person pastes into the test.
    wrong.push(...(await wrongSelectors(page, xpath, result.healed ? result : result.suggestion)));
  }
  expect(wrong).toEqual([]);
}

test("an element the browser does not show is not an answer: inside a closed <details>", async ({ page }) => {
  const before = `<html><body><main><button>Reset</button><details><summary>More</summary><p>x</p></details></main></body></html>`;
  const after = `<html><body><main><details><summary>More</summary><button>Reset</button></details></main></body></html>`;
  await page.setContent(after);
  await expect(page.getByRole("button", { name: "Reset" })).toBeHidden();
  const result = await healDom({
    selector: "/html[1]/body[1]/main[1]/button[1]",
    dom: after,
    previousDom: before,
  });
  expect(result.healed).toBe(false);
  expect(result.selector).toBeNull();
});
