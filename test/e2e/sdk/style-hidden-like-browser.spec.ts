// The DOM form never answers with an element a test cannot act on. Pages hide most such elements
// with their own style sheets, not attributes: a menu for narrow screens beside the wide one (the
// same links twice), dialogs and dropdowns closed by a class, utility classes (`hidden`,
// `d-none`, `md:flex`), CSS-in-JS rules written into `<style>` elements. Each case holds the
// engine's hidden flag of every element against what Chromium shows at Playwright's default
// 1280 × 720 page (docs/heal-model.md, "Elements a style sheet hides").
import { expect, test } from "@playwright/test";
import { hiddenDisagreements, wrongSelectors } from "../../../bench/heal/selectors-in-browser.ts";
import { healDom } from "../../../shared/healing/heal.ts";

const CASES: Record<string, string> = {
  "a menu for narrow screens beside the wide one": `<style>.mobile-nav{display:none}@media (max-width: 768px){.mobile-nav{display:block}.desktop-nav{display:none}}</style>
    <nav class="mobile-nav"><a href="/">Home</a><a href="/p">Pricing</a></nav><nav class="desktop-nav"><a href="/">Home</a><a href="/p">Pricing</a></nav>`,
  "mobile first: hidden, then shown from a width up": `<style>.nav-links{display:none}.burger{display:block}@media screen and (min-width:64em){.nav-links{display:flex}.burger{display:none}}@media (width >= 1400px){.wide{display:block}}.wide{display:none}</style>
    <button class="burger">Menu</button><ul class="nav-links"><li><a href="/a">A</a></li></ul><p class="wide">wide only</p>`,
  "dialogs and dropdowns closed by a class": `<style>.modal{display:none}.modal.is-open{display:block}.dropdown-menu{display:none;position:absolute}.dropdown.show>.dropdown-menu{display:block}</style>
    <div class="modal"><button>Confirm</button></div><div class="modal is-open"><button>Save</button></div>
    <div class="dropdown"><ul class="dropdown-menu"><li><a href="#">Closed</a></li></ul></div><div class="dropdown show"><ul class="dropdown-menu"><li><a href="#">Open</a></li></ul></div>`,
  "utility classes, !important and escaped names": `<style>.hidden{display:none}.d-none{display:none!important}.d-md-block{display:block}@media (min-width:768px){.d-md-block{display:block!important}.md\\:flex{display:flex}}.sr-only{position:absolute;width:1px;height:1px;overflow:hidden}</style>
    <div class="d-none d-md-block"><a href="/x">x</a></div><div class="hidden md:flex"><a href="/y">y</a></div><div class="hidden"><a href="/z">z</a></div><span class="sr-only">skip</span><p class="d-none" style="display:block">still none</p>`,
  "specificity and order": `<style>#promo{display:none}div.banner#promo.on{display:block}.a .b{display:none}.b{display:block}p.c{display:none}.c{display:block}</style>
    <div id="promo" class="banner on">promo</div><div class="a"><span class="b">b</span></div><p class="c">c</p>`,
  "the style attribute against the sheet": `<style>.x{display:none}.y{display:none!important}</style><p class="x" style="display:block">x shown</p><p class="y" style="display:block">y hidden</p><p style="display:none">inline</p>`,
  "visibility inherited, and shown again": `<style>.tip{visibility:hidden}.tip .keep{visibility:visible}.gone{visibility:collapse}</style>
    <div class="tip"><span>hidden</span><a class="keep" href="#">kept</a><b><i>deep</i></b></div><table><tr class="gone"><td>c</td></tr></table>`,
  "rules that do not apply": `<style>a::before{display:none}a:hover{display:none}.f:focus-within .menu{display:none}@media print{.screen{display:none}}@media (prefers-color-scheme: dark){.light{display:none}}@media (hover: none){.touch{display:none}}</style>
    <a href="/h">hover me</a><div class="f"><ul class="menu"><li>m</li></ul></div><p class="screen">screen</p><p class="light">light</p><p class="touch">touch</p>`,
  "nesting, layers, a style element in the body": `<style>@layer base, utilities;@layer utilities{.u-hide{display:none}}@layer base{.u-hide{display:block}}.card{color:red;& .card-menu{display:none}&.open .card-menu{display:block}}</style>
    <div class="card"><ul class="card-menu"><li>closed</li></ul></div><div class="card open"><ul class="card-menu"><li>open</li></ul></div><p class="u-hide">layered</p>
    <style media="(min-width: 900px)">.narrow-only{display:none}</style><p class="narrow-only">narrow</p>`,
  "CSS-in-JS class names, comments and strings": `<style data-styled="active">/* } .a{display:none} */.sc-bdVaJa{content:"}{";display:none}.sc-htpNat{display:block}.kYsQpd:not(.open){display:none}</style>
    <div class="sc-bdVaJa"><button>styled hidden</button></div><div class="sc-htpNat"><button>styled shown</button></div><div class="a">comment</div><div class="kYsQpd">closed</div><div class="kYsQpd open">open</div>`,
  "a style inside template or noscript content applies to nothing": `<template><style>.t{display:none}</style></template><noscript><style>.n{display:none}</style></noscript><p class="t">t</p><p class="n">n</p>`,
};

test("the engine hides the elements a page's own style sheets hide, as Chromium does", async ({ page }) => {
  const wrong: string[] = [];
  for (const [name, html] of Object.entries(CASES)) {
    await page.setContent(`<!doctype html><html><head></head><body>${html}</body></html>`);
    const { hidden, shown } = await hiddenDisagreements(page, html);
    if (hidden.length > 0 || shown.length > 0)
      wrong.push(
        `${name}:\n  hidden by the engine only ${hidden.join(" ")}\n  hidden by Chromium only ${shown.join(" ")}`,
      );
  }
  expect(wrong.join("\n")).toBe("");
});

// A copy the sheet hides still counts for the locators that match hidden elements (test id,
// placeholder, label: only getByRole leaves hidden ones out), and Playwright's strict mode counts
// every match: the answer must name one element in the page, not one of the two it can see.
test("a locator answered beside a copy the page hides names exactly the shown element", async ({ page }) => {
  const copy = `<button data-testid="buy">Buy</button><input placeholder="Email"><label>Name <input name="n"></label>`;
  const html = `<!doctype html><html><head><style>.drawer{display:none}</style></head><body>
    <div class="drawer">${copy}</div><main>${copy}</main></body></html>`;
  await page.setContent(html);
  const wrong: string[] = [];
  for (const xpath of ["/html/body/main/button", "/html/body/main/input", "/html/body/main/label/input"]) {
    const result = await healDom({ selector: xpath, dom: html, previousDom: html });
    expect(result.healed, xpath).toBe(true);
    wrong.push(...(await wrongSelectors(page, `${xpath}`, result)));
  }
  expect(wrong).toEqual([]);
});
