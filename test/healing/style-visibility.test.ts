import { describe, expect, it } from "vitest";
import { parsePage } from "../../shared/healing/dom.ts";
import { healDom } from "../../shared/healing/index.ts";
import { mediaMatches } from "../../shared/healing/media-query.ts";
import { type StyleRule, visibilityRules } from "../../shared/healing/style-rules.ts";
import { rightmostKey } from "../../shared/healing/style-visibility.ts";

/** The text of every candidate of `body` (under `css`) the engine reads as hidden. */
function hiddenTexts(css: string, body: string): string[] {
  const page = parsePage(
    `<!doctype html><html><head><style>${css}</style></head><body>${body}</body></html>`,
  );
  const hidden: string[] = [];
  for (let i = 0; i < page.count; i++)
    if (page.hiddenFlags[i] === 1) hidden.push(page.attributeOf(i, "data-k") ?? page.tags[i]!);
  return hidden;
}

describe("media queries, judged for a 1280 × 720 screen", () => {
  it.each([
    ["screen", true],
    ["print", false],
    ["(min-width: 768px)", true],
    ["(max-width: 767.98px)", false],
    ["screen and (min-width:30em)and (max-width:60em)", false],
    ["only screen and (min-width: 64em)", true],
    ["(width >= 40rem)", true],
    ["(400px <= width <= 700px)", false],
    ["(1000px < width < 1300px)", true],
    ["not print", true],
    ["not screen and (max-width: 600px)", true],
    ["print, (min-width: 1200px)", true],
    ["(prefers-color-scheme: dark)", false],
    ["(hover: hover) and (pointer: fine)", true],
    ["(orientation: portrait)", false],
    ["(-webkit-min-device-pixel-ratio: 2), (min-resolution: 192dpi)", false],
    ["", true],
  ])("%s → %s", (query, expected) => {
    expect(mediaMatches(query)).toBe(expected);
  });

  it("is unsure of what it does not know, unless another query of the list holds", () => {
    expect(mediaMatches("(min-width: 30cqw)")).toBeNull();
    expect(mediaMatches("(scan: interlace)")).toBeNull();
    expect(mediaMatches("(min-width: 30cqw), screen")).toBe(true);
    expect(mediaMatches("(min-width: 30cqw), print")).toBeNull();
  });
});

describe("the sheet scanner", () => {
  const rules = (css: string, media?: string) => {
    const found: StyleRule[] = [];
    visibilityRules(css, media, found, []);
    return found.map(
      (r) =>
        `${r.selector} ${r.property}:${r.hides ? "hides" : "shows"}${r.important ? "!" : ""}${r.certain ? "" : "?"}`,
    );
  };

  it("keeps only display and visibility, one rule per selector of a list", () => {
    expect(
      rules(".a, .b > i { color: red; display: none } .c{visibility:visible}.d{display:flex !important}"),
    ).toEqual([".a display:hides", ".b > i display:hides", ".c visibility:shows", ".d display:shows!"]);
  });

  it("is not fooled by comments, strings, urls and old HTML comment marks", () => {
    expect(
      rules(`<!-- /* .x{display:none} */ .q{content:"}{;";display:none}
        .u{background:url(data:image/png;base64,AAA=);display:none} -->`),
    ).toEqual([".q display:hides", ".u display:hides"]);
  });

  it("follows @media, skips @keyframes and @font-face, and does not trust @supports", () => {
    expect(
      rules(`@media print{.p{display:none}} @media (min-width: 1000px){.w{display:none}}
        @keyframes k{from{display:none}} @font-face{font-family:x} @supports (display:grid){.s{display:none}}
        @media (min-width: 10cqw){.u{display:none}}`),
    ).toEqual([".w display:hides", ".s display:hides?", ".u display:hides?"]);
    expect(rules(".a{display:none}", "print")).toEqual([]);
  });

  it("resolves nested rules against their parent", () => {
    expect(
      rules(
        ".card{color:red; & .menu{display:none} &.open .menu{display:block} .x{display:none} @media (min-width:1px){display:none}}",
      ),
    ).toEqual([
      ".card .menu display:hides",
      ".card.open .menu display:shows",
      ".card .x display:hides",
      ".card display:hides",
    ]);
  });

  it("numbers layers in the order the page declares them", () => {
    const found: StyleRule[] = [];
    visibilityRules(
      "@layer base, utilities; @layer utilities{.u{display:none}} @layer base{.b{display:none}} .n{display:none}",
      undefined,
      found,
      [],
    );
    expect(found.map((r) => [r.selector, r.layer])).toEqual([
      [".u", 2],
      [".b", 1],
      [".n", 0],
    ]);
  });
});

describe("the key a rule is looked up by", () => {
  it.each([
    [".nav .item.active", ".item"],
    ["ul > li#x.y", "#x"],
    ["div [hidden]", "[hidden"],
    ["a[href^='/x']", "[href"],
    ["button:not(.primary)", "button"],
    [".md\\:hidden", ".md:hidden"],
    [".\\31 0", "*"],
    [":is(.a, .b)", "*"],
    ['[data-state="closed"] .panel', ".panel"],
  ])("%s → %s", (selector, key) => {
    expect(rightmostKey(selector)).toBe(key);
  });
});

describe("elements a page's own style sheets hide", () => {
  it("hides by class, id, tag and attribute, and everything inside", () => {
    expect(
      hiddenTexts(
        ".closed{display:none} #gone{display:none} dialog:not([open]){display:none} [data-hidden]{display:none}",
        `<div class="closed" data-k="c"><a data-k="c-inner">x</a></div><p id="gone" data-k="id">x</p>
         <p data-hidden data-k="attr">x</p><p data-k="kept">x</p>`,
      ),
    ).toEqual(["c", "c-inner", "id", "attr"]);
  });

  it("runs the cascade: importance, specificity, order, the style attribute, layers", () => {
    const css = `.x{display:none} .x.on{display:block} .y.on{display:block} .y{display:none!important}
      p.z{display:none} .z{display:block} @layer a{.l{display:block}} .l{display:none}`;
    expect(
      hiddenTexts(
        css,
        `<p class="x on" data-k="x">.</p><p class="y on" data-k="y">.</p><p class="z" data-k="z">.</p>
         <p class="x" style="display: block" data-k="inline">.</p><p class="y" style="display:block" data-k="important">.</p>
         <p class="l" data-k="layer">.</p>`,
      ),
    ).toEqual(["y", "z", "important", "layer"]);
  });

  it("inherits visibility until a descendant shows itself again", () => {
    expect(
      hiddenTexts(
        ".tip{visibility:hidden} .tip .back{visibility:visible}",
        `<div class="tip" data-k="tip"><span data-k="in">a</span><b class="back" data-k="back"><i data-k="deep">b</i></b></div>`,
      ),
    ).toEqual(["tip", "in"]);
  });

  it("keeps shown what it cannot be sure is hidden", () => {
    expect(
      hiddenTexts(
        `@supports (display:grid){.s{display:none}} .f:focus .m{display:none} .p::before{display:none}
         .q{display:none} @supports (gap:1px){.q{display:block}} .weird:dir(rtl){display:none}`,
        `<p class="s" data-k="s">.</p><div class="f"><p class="m" data-k="m">.</p></div><p class="p" data-k="p">.</p>
         <p class="q" data-k="q">.</p><p class="weird" data-k="w">.</p>`,
      ),
    ).toEqual([]);
  });

  it("keeps shown what a hover, focus or other state reveals: a heal may come while the test holds it", () => {
    expect(
      hiddenTexts(
        `.sub{display:none} .menu:hover .sub{display:block} .tip{visibility:hidden} .row:focus-within .tip{visibility:visible}
         .drawer{display:none} #toggle:checked ~ .drawer{display:block} .plain{display:none}`,
        `<ul class="menu"><li>Products<ul class="sub" data-k="sub"><li data-k="item">Laptops</li></ul></li></ul>
         <div class="row"><span class="tip" data-k="tip">t</span></div><input id="toggle" type="checkbox"><nav class="drawer" data-k="drawer"></nav>
         <p class="plain" data-k="plain">p</p>`,
      ),
    ).toEqual(["plain"]);
  });

  it("reads no sheet inside template or noscript content", () => {
    const page = parsePage(
      `<template><style>.t{display:none}</style></template><noscript><style>.n{display:none}</style></noscript><p class="t">a</p><p class="n">b</p>`,
    );
    expect(Array.from(page.hiddenFlags)).toEqual([0, 0]);
  });

  it("never heals to the copy of a menu the page hides", async () => {
    const menu = (cls: string) =>
      `<nav class="${cls}"><a href="/">Home</a><a href="/pricing">Pricing</a><a href="/docs">Docs</a></nav>`;
    const before = `<!doctype html><html><head></head><body>${menu("main-nav")}<main><h1>Hi</h1></main></body></html>`;
    const after = `<!doctype html><html><head><style>.drawer{display:none}@media (max-width: 800px){.drawer{display:block}.top{display:none}}</style></head>
      <body>${menu("drawer")}${menu("top")}<main><h1>Hi</h1></main></body></html>`;
    const result = await healDom({
      selector: "nav.main-nav > a:nth-child(2)",
      dom: after,
      previousDom: before,
    });
    expect(result.healed).toBe(true);
    expect(result.xpath).toBe("/html[1]/body[1]/nav[2]/a[2]");
    expect(result.playwright).toBe(`getByRole('link', { name: 'Pricing', exact: true })`);
  });
});
