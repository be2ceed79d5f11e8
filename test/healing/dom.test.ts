import { selectAll } from "css-select";
import { parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { asDomhandler, fromDomhandler, parsePage } from "../../shared/healing/dom.ts";
import { healDom } from "../../shared/healing/index.ts";
import { evaluateXpath } from "../../shared/healing/xpath.ts";

const OLD = `<html><head><title>t</title><script>var x = "<button>";</script></head><body>
<nav id="nav"><a href="/home">Home</a> <a href="/about">About</a></nav>
<form id="login"><label for="email-3f9a2">Email</label><input id="email-3f9a2" name="email">
<button class="Button_primary__x7Gh2" data-testid="save">Save</button><button>Cancel</button>
<input type="hidden" name="csrf" value="t"></form>
<ul><li><span>Alpha</span><button>Delete</button></li><li><span>Beta</span><button>Delete</button></li></ul>
</body></html>`;

const NEW = `<html><body><div class="banner"><p>News</p></div>
<nav id="nav"><a href="/about">About</a> <a href="/home">Home</a></nav>
<form id="login"><div class="row"><label for="email-77c01">Email</label><input id="email-77c01" name="email"></div>
<a href="#" role="button" class="Button_primary__Q1w2e" data-testid="save">Save</a><button>Cancel</button>
<input type="hidden" name="csrf" value="t"></form>
<ul><li><span>Beta</span><button>Delete</button></li><li><span>Alpha</span><button>Delete</button></li></ul>
<div style="display:none"><button data-testid="save">Save</button></div>
</body></html>`;

/** Each candidate as [xpath, text, end of its subtree]: the tree a page was built into, in order. */
function outline(page: ReturnType<typeof parsePage>) {
  return page.elements.map((e, i) => [e.descriptor.xpath, e.descriptor.text, page.subtreeEnd(i)]);
}

describe("parsePage", () => {
  it("describes elements with xpaths, text, labels and neighbours", () => {
    const page = parsePage(OLD);
    const input = page.elements.find(
      (e) => e.descriptor.tag === "input" && e.descriptor.attributes?.name === "email",
    )!;
    expect(input.descriptor.xpath).toBe("/html[1]/body[1]/form[1]/input[1]");
    expect(input.descriptor.idXpath).toBe("//*[@id='email-3f9a2']");
    expect(input.descriptor.accessibleName).toBe("Email");
    expect(input.descriptor.neighborText).toEqual({ above: "Email", below: "Save" });
    const link = page.elements.find((e) => e.descriptor.text === "About")!;
    expect(link.descriptor.idXpath).toBe("//*[@id='nav']/a[2]");
    expect(page.elements.some((e) => e.descriptor.tag === "script" || e.descriptor.tag === "body")).toBe(
      false,
    );
    expect(page.elements.find((e) => e.descriptor.attributes?.type === "hidden")!.hidden).toBe(true);
  });

  it("builds the page as a browser does where selectors see it: tbody, inline text, closed details", () => {
    const page = parsePage(`<html><body><table><tr><td>a</td></tr><tr><td><a href="/e">Edit</a></td></tr>
      <tfoot><tr><td>f</td></tr></tfoot></table><p>after</p>
      <h2><a href="#">proc_<wbr>macro</a><span>1.95</span></h2>
      <details><summary>More</summary><button>Reset</button></details></body></html>`);
    const xpaths = page.elements.map((e) => e.descriptor.xpath);
    expect(xpaths).toContain("/html[1]/body[1]/table[1]/tbody[1]/tr[2]/td[1]/a[1]");
    expect(xpaths).toContain("/html[1]/body[1]/table[1]/tfoot[1]/tr[1]/td[1]");
    expect(xpaths).toContain("/html[1]/body[1]/p[1]");
    expect(page.elements.find((e) => e.descriptor.tag === "h2")!.descriptor.text).toBe("proc_macro1.95");
    expect(page.elements.find((e) => e.descriptor.tag === "summary")!.hidden).toBe(false);
    expect(page.elements.find((e) => e.descriptor.tag === "button")!.hidden).toBe(true);
  });

  it("keeps the space an inline element's text starts or ends with, as innerText does", () => {
    const page = parsePage(
      `<h3><span class="section-number">5.1. </span>Shebang<a href="#s">¶</a></h3><p>a<b> b </b>c<i></i>d<span> </span>e</p>`,
    );
    const texts = page.elements.map((e) => e.descriptor.text);
    expect(texts).toContain("5.1. Shebang¶");
    expect(texts).toContain("a b cd e");
    expect(texts).toContain("5.1.");
  });

  it("puts what an <html> without a <body> tag holds, and what follows </body>, in the body", () => {
    const minified = parsePage(
      `<!doctype html><html lang=en><meta charset=utf-8><title>t</title><div id=app><a href=/x>x</a></div>`,
    );
    expect(minified.elements.map((e) => e.descriptor.xpath)).toEqual([
      "/html[1]/body[1]/div[1]",
      "/html[1]/body[1]/div[1]/a[1]",
    ]);
    const trailing = parsePage(`<html><body><div>a</div></body><div>late</div></html>`);
    expect(trailing.elements.map((e) => e.descriptor.xpath)).toEqual([
      "/html[1]/body[1]/div[1]",
      "/html[1]/body[1]/div[2]",
    ]);
    // </body> ends nothing: an element still open holds what follows, as in a browser.
    const unclosed = parsePage(
      `<html><body><div id="app"><p>a</p></body><script>x</script><div>late</div></html>`,
    );
    expect(unclosed.elements.map((e) => e.descriptor.xpath)).toEqual([
      "/html[1]/body[1]/div[1]",
      "/html[1]/body[1]/div[1]/p[1]",
      "/html[1]/body[1]/div[1]/div[1]",
    ]);
  });
});

describe("evaluateXpath", () => {
  const page = parsePage(OLD);
  it.each([
    ["/html[1]/body[1]/nav[1]/a[2]", "About"],
    ["//a[@href='/home']", "Home"],
    ["//button[text()='Cancel']", "Cancel"],
    ["//ul/li[2]/span", "Beta"],
    ["//li[contains(., 'Alpha')]/button", "Delete"],
  ])("%s", (xpath, text) => {
    const found = evaluateXpath(page.document, xpath)!;
    expect(found).toHaveLength(1);
    expect(page.elements[page.indexOf.get(found[0]!)!]!.descriptor.text).toBe(text);
  });
  it("reads svg elements named as browsers' XPath names them, and returns xpaths browsers evaluate", () => {
    const svg = parsePage(
      `<html><body><a href="/"><svg viewBox="0 0 1 1"><clipPath id="c"/><path d="M0 0"/></svg></a></body></html>`,
    );
    const [path] = evaluateXpath(svg.document, "//a/*[name()='svg']/*[local-name()='path'][1]")!;
    const index = svg.indexOf.get(path!)!;
    expect(svg.elements[index]!.descriptor.xpath).toBe("/html[1]/body[1]/a[1]/svg[1]/path[1]");
    expect(svg.browserXpathOf(svg.nodeOf[index]!)).toBe(
      "/html[1]/body[1]/a[1]/*[name()='svg'][1]/*[name()='path'][1]",
    );
    expect(evaluateXpath(svg.document, svg.browserXpathOf(svg.nodeOf[index]!))).toEqual([path]);
    // What a foreignObject holds is HTML again: named bare, as browsers' XPath reads it.
    const chart = parsePage(`<div><svg><foreignObject><div><b>in</b></div></foreignObject></svg></div>`);
    const bold = chart.elements.findIndex((e) => e.descriptor.tag === "b");
    expect(chart.browserXpathOf(chart.nodeOf[bold]!)).toBe(
      "/html[1]/body[1]/div[1]/*[name()='svg'][1]/*[name()='foreignObject'][1]/div[1]/b[1]",
    );
    expect(evaluateXpath(chart.document, chart.browserXpathOf(chart.nodeOf[bold]!))).toEqual([
      chart.elements[bold],
    ]);
  });
  it("returns null for unsupported syntax", () => {
    expect(evaluateXpath(page.document, "//a[position() mod 2]")).toBeNull();
    expect(evaluateXpath(page.document, "a/b")).toBeNull();
  });
});

describe("healDom", () => {
  it.each([
    ["button.Button_primary__x7Gh2", "Save"],
    ["#email-3f9a2", ""],
    ["/html[1]/body[1]/nav[1]/a[1]", "Home"],
    ["//ul/li[2]/button", "Delete"],
    ["getByRole('button', { name: 'Save' })", "Save"],
    // What Playwright's traces and error messages print for that locator.
    ['internal:role=button[name="Save"i]', "Save"],
  ])("heals %s to a unique selector in the new DOM", async (selector, text) => {
    const result = await healDom({ selector, dom: NEW, previousDom: OLD });
    expect(result.healed).toBe(true);
    // Unique in an independent parse (domhandler), and that element is the healed one.
    expect(selectAll(result.selector!, parseDocument(NEW))).toHaveLength(1);
    const page = parsePage(NEW);
    const matched = fromDomhandler(selectAll(result.selector!, asDomhandler(page.document)));
    expect(matched).toHaveLength(1);
    const healed = page.elements[page.indexOf.get(matched[0]!)!]!;
    expect(healed.hidden).toBe(false);
    expect(healed.descriptor.text ?? "").toBe(text);
    expect(healed.descriptor.xpath).toBe(result.xpath);
    expect(result.playwright).toMatch(/^(getBy|locator\()/);
  });

  it("keeps the row identity when rows are reordered", async () => {
    const result = await healDom({ selector: "//ul/li[2]/button", dom: NEW, previousDom: OLD });
    expect(result.xpath).toBe("/html[1]/body[1]/ul[1]/li[1]/button[1]");
  });

  it("generates selectors that are unique for every alternative too", async () => {
    const result = await healDom({ selector: "#nav > a:nth-of-type(2)", dom: NEW, previousDom: OLD });
    const document = parseDocument(NEW);
    for (const alternative of result.alternatives)
      expect(selectAll(alternative.selector, document)).toHaveLength(1);
  });

  it("answers healed:false on empty or unrelated pages without throwing", async () => {
    expect((await healDom({ selector: "#x", dom: "" })).healed).toBe(false);
    const gone = await healDom({
      selector: "[data-testid=save]",
      dom: "<html><body><p>Maintenance</p></body></html>",
      previousDom: OLD,
    });
    expect(gone.healed).toBe(false);
    expect(gone.selector).toBeNull();
  });
});

/** Entities in text and attributes, raw-text and RCDATA elements, legacy entities without ";". */
const ENTITIES = `<div title="a &amp; b &lt;c&gt; &quot;q&quot; &notit; &not=x &copy2 &#65;&#x42;&#0;&#x110000; &amp" data-x='&apos;s &nbsp;' alt=&lt;raw&gt;>
  Tom &amp; Jerry &lt;3 &notit; &notin; &copy2024 &#8364; &#x20AC; &#128512; &bogus; & &amp &#; &#x;</div>
<button aria-label="Save &amp; close">Save&nbsp;&amp;&nbsp;close</button>
<p>caf&eacute; na&iuml;ve &Aacute;&aacute; &AElig &lt&gt &amp;amp; &NotNestedGreaterGreater; &ThickSpace;</p>
<script>var a = "&amp;"; if (a &lt; 1) {}</script><style>.x::after { content: "&amp;" }</style>
<textarea>x &amp; y &lt;</textarea><title>T &amp; U</title>
<xmp>&amp; raw</xmp><iframe>&amp;</iframe><noembed>&amp;</noembed><noframes>&amp;</noframes>
<svg><script>&amp; in svg</script><title>&amp; svg title</title></svg>
<script/>after self-closing &amp; script</script>
<label for="q">Query &amp; filter</label><input id="q" placeholder="&#x53;earch&hellip;" value="a&amp;b">
<a href="/x?a=1&amp;b=2&copy=3&c=&lt;">link &raquo;</a><div a="&amp" b=&amp;x c="&ampx">&ampx &amp=&lt;</div>
<span>&#55357;&#56832; surrogate pair &#xD83D;</span> trailing &amp`;

type Shape = { name?: string; attribs?: Record<string, string>; data?: string; children?: Shape[] };
function shape(node: {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  data?: string;
  children?: unknown[];
}): Shape {
  if (node.type === "text") return { data: node.data };
  if (node.type === "comment" || node.type === "directive") return {};
  return {
    name: node.name,
    attribs: node.attribs,
    children: ((node.children ?? []) as (typeof node)[])
      .filter((c) => c.type !== "comment" && c.type !== "directive")
      .map(shape),
  };
}

describe("parsePage builds the tree a browser builds from markup that is not well formed", () => {
  // The same cases, and more, are compared with Chromium's own tree in
  // test/e2e/sdk/parse-like-browser.spec.ts; these keep the rules checked where there is no browser.
  const xpathsOf = (html: string) => parsePage(html).elements.map((e) => e.descriptor.xpath);

  it("ends a head that is never closed at the first element that does not belong in it", () => {
    const page = parsePage(
      `<html><head prefix="og: x"><meta charset="utf-8"><title>t</title><div id="app"><button>Go</button></div></html>`,
    );
    expect(page.elements.map((e) => [e.descriptor.xpath, e.hidden])).toEqual([
      ["/html[1]/body[1]/div[1]", false],
      ["/html[1]/body[1]/div[1]/button[1]", false],
    ]);
  });

  it("puts content before the html tag, and a fragment, in an html and body", () => {
    expect(xpathsOf(`<li><a href="/">x</a></li><html><body><p>y</p></body></html>`)).toEqual([
      "/html[1]/body[1]/li[1]",
      "/html[1]/body[1]/li[1]/a[1]",
      "/html[1]/body[1]/p[1]",
    ]);
    expect(xpathsOf(`<body><a href="/">x</a></body>`)).toEqual(["/html[1]/body[1]/a[1]"]);
  });

  it("closes a paragraph and a list item with what is still open inside them", () => {
    expect(xpathsOf(`<ul><p>intro<li><span>one<li>two</ul><p>a <span>b<div>c</div></span></p>`)).toEqual([
      "/html[1]/body[1]/ul[1]",
      "/html[1]/body[1]/ul[1]/p[1]",
      "/html[1]/body[1]/ul[1]/li[1]",
      "/html[1]/body[1]/ul[1]/li[1]/span[1]",
      "/html[1]/body[1]/ul[1]/li[2]",
      "/html[1]/body[1]/p[1]",
      "/html[1]/body[1]/p[1]/span[1]",
      "/html[1]/body[1]/div[1]",
      "/html[1]/body[1]/p[2]",
    ]);
  });

  it("closes a heading at another heading's end tag, and drops stray document and table tags", () => {
    expect(
      xpathsOf(
        `<h5><a href="#n">(1)</a></h3><p>note</p><div><td>cell</td><body class="x"><span>s</span></div>`,
      ),
    ).toEqual([
      "/html[1]/body[1]/h5[1]",
      "/html[1]/body[1]/h5[1]/a[1]",
      "/html[1]/body[1]/p[1]",
      "/html[1]/body[1]/div[1]",
      "/html[1]/body[1]/div[1]/span[1]",
    ]);
  });

  it("opens again, with its attributes, a formatting element a block ended before its end tag", () => {
    const page = parsePage(
      `<div><h3><a name="x"/>Title</h3><pre>code <a href="y">T</a> text</pre></div><p><b>bold<p>next</b> after</p>`,
    );
    expect(
      page.elements.map((e) => [e.descriptor.xpath, e.descriptor.attributes?.name ?? e.descriptor.text]),
    ).toEqual([
      ["/html[1]/body[1]/div[1]", "Title code T text"],
      ["/html[1]/body[1]/div[1]/h3[1]", "Title"],
      ["/html[1]/body[1]/div[1]/h3[1]/a[1]", "x"],
      ["/html[1]/body[1]/div[1]/pre[1]", "code T text"],
      ["/html[1]/body[1]/div[1]/pre[1]/a[1]", "x"],
      ["/html[1]/body[1]/div[1]/pre[1]/a[2]", "T"],
      ["/html[1]/body[1]/p[1]", "bold"],
      ["/html[1]/body[1]/p[1]/b[1]", "bold"],
      ["/html[1]/body[1]/p[2]", "next after"],
      ["/html[1]/body[1]/p[2]/b[1]", "next"],
    ]);
  });

  it("moves a block out of a reopened link when the next link comes (gtk-doc sections)", () => {
    // A browser leaves empty copies of the old <a>: h3 > a[1] (listed), and the div's first child
    // (made, but no candidate: it is added out of document order, see browser-tree.ts).
    expect(
      xpathsOf(
        `<div><h3><a name="x"/>T</h3><pre>code</pre></div>\n<hr/>\n<div><h3><a name="y"/>U</h3><p>text</p></div>`,
      ),
    ).toEqual([
      "/html[1]/body[1]/div[1]",
      "/html[1]/body[1]/div[1]/h3[1]",
      "/html[1]/body[1]/div[1]/h3[1]/a[1]",
      "/html[1]/body[1]/div[1]/pre[1]",
      "/html[1]/body[1]/div[1]/pre[1]/a[1]",
      "/html[1]/body[1]/a[1]",
      "/html[1]/body[1]/a[1]/hr[1]",
      "/html[1]/body[1]/div[2]",
      "/html[1]/body[1]/div[2]/h3[1]",
      "/html[1]/body[1]/div[2]/h3[1]/a[1]",
      "/html[1]/body[1]/div[2]/h3[1]/a[2]",
      "/html[1]/body[1]/div[2]/p[1]",
      "/html[1]/body[1]/div[2]/p[1]/a[1]",
    ]);
  });

  it("moves a block out of a formatting element ended inside it, a copy holding what it held", () => {
    const page = parsePage(
      `<b><div>x</b>y</div><strong class="s"><p>text <a href="/a">a</a></strong> tail</p>`,
    );
    expect(outline(page)).toEqual([
      ["/html[1]/body[1]/b[1]", undefined, 1],
      ["/html[1]/body[1]/div[1]", "xy", 3],
      ["/html[1]/body[1]/div[1]/b[1]", "x", 3],
      ["/html[1]/body[1]/strong[1]", undefined, 4],
      ["/html[1]/body[1]/p[1]", "text a tail", 7],
      ["/html[1]/body[1]/p[1]/strong[1]", "text a", 7],
      ["/html[1]/body[1]/p[1]/strong[1]/a[1]", "a", 7],
    ]);
    expect(page.elements[5]!.descriptor.attributes).toEqual({ class: "s" });
    expect(evaluateXpath(page.document, "/html[1]/body[1]/p[1]/strong[1]/a[1]")).toEqual([page.elements[6]]);
  });

  it("ends an open link at the next link, and reopens nothing inside a cell", () => {
    expect(
      xpathsOf(`<a href="1">x<a href="2">y</a></a><table><tr><td><i>c</td><td>d</td></tr></table>`),
    ).toEqual([
      "/html[1]/body[1]/a[1]",
      "/html[1]/body[1]/a[2]",
      "/html[1]/body[1]/table[1]",
      "/html[1]/body[1]/table[1]/tbody[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]/i[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[2]",
    ]);
  });

  it("keeps what follows a </form> in a div the form holds inside it; a form in a table holds no rows", async () => {
    const html = `<div><form id="f"><div class="row"><input name="q"></form><button>Send</button></div><p>after</p></div><table><form id="t"><tr><td><input name="a"></td></tr></form></table>`;
    const page = parsePage(html);
    expect(outline(page)).toEqual([
      ["/html[1]/body[1]/div[1]", "Send after", 6],
      ["/html[1]/body[1]/div[1]/form[1]", "Send", 5],
      ["/html[1]/body[1]/div[1]/form[1]/div[1]", "Send", 5],
      ["/html[1]/body[1]/div[1]/form[1]/div[1]/input[1]", undefined, 4],
      ["/html[1]/body[1]/div[1]/form[1]/div[1]/button[1]", "Send", 5],
      ["/html[1]/body[1]/div[1]/p[1]", "after", 6],
      ["/html[1]/body[1]/table[1]", undefined, 12],
      ["/html[1]/body[1]/table[1]/form[1]", undefined, 8],
      ["/html[1]/body[1]/table[1]/tbody[1]", undefined, 12],
      ["/html[1]/body[1]/table[1]/tbody[1]/tr[1]", undefined, 12],
      ["/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]", undefined, 12],
      ["/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]/input[1]", undefined, 12],
    ]);
    const result = await healDom({
      selector: "form#f > div > button",
      dom: html.replace("Send", "Submit"),
      previousDom: html,
    });
    expect(result.xpath).toBe("/html[1]/body[1]/div[1]/form[1]/div[1]/button[1]");
  });

  it("moves what is written in a table outside any cell before the table, candidates still in document order", () => {
    const page = parsePage(
      `<label for="i">Name</label><table id="t"><tr><td>one</td></tr><div id="d">moved <a href="/q">link</a></div><input id="i"><tr><td><b>two</b></td></tr></table><p>after</p>`,
    );
    expect(outline(page)).toEqual([
      ["/html[1]/body[1]/label[1]", "Name", 1],
      ["/html[1]/body[1]/div[1]", "moved link", 3],
      ["/html[1]/body[1]/div[1]/a[1]", "link", 3],
      ["/html[1]/body[1]/input[1]", undefined, 4],
      ["/html[1]/body[1]/table[1]", "one two", 11],
      ["/html[1]/body[1]/table[1]/tbody[1]", "one two", 11],
      ["/html[1]/body[1]/table[1]/tbody[1]/tr[1]", "one", 8],
      ["/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]", "one", 8],
      ["/html[1]/body[1]/table[1]/tbody[1]/tr[2]", "two", 11],
      ["/html[1]/body[1]/table[1]/tbody[1]/tr[2]/td[1]", "two", 11],
      ["/html[1]/body[1]/table[1]/tbody[1]/tr[2]/td[1]/b[1]", "two", 11],
      ["/html[1]/body[1]/p[1]", "after", 12],
    ]);
    const input = page.elements[3]!.descriptor;
    expect([input.accessibleName, input.neighborText?.above, input.neighborText?.below]).toEqual([
      "Name",
      "link",
      "one",
    ]);
  });

  it("opens no second form while the first is not ended by a </form> tag", () => {
    expect(
      xpathsOf(
        `<table><tr><td><form id="a"></td><td><form id="b"><i>x</i></form></td></tr></table><form id="c"></form>`,
      ),
    ).toEqual([
      "/html[1]/body[1]/table[1]",
      "/html[1]/body[1]/table[1]/tbody[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]/form[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[2]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[2]/i[1]",
      "/html[1]/body[1]/form[1]",
    ]);
  });

  it("keeps a field in the button it is written in, and ends an open cell at the next cell", () => {
    expect(xpathsOf(`<button><input name="a"></button><table><tr><td><span>s<th>t</table>`)).toEqual([
      "/html[1]/body[1]/button[1]",
      "/html[1]/body[1]/button[1]/input[1]",
      "/html[1]/body[1]/table[1]",
      "/html[1]/body[1]/table[1]/tbody[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]/span[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/th[1]",
    ]);
  });

  it("puts cells without rows in a row and cols in a colgroup", () => {
    expect(xpathsOf(`<table><col><td>a</td><td>b</td></table>`)).toEqual([
      "/html[1]/body[1]/table[1]",
      "/html[1]/body[1]/table[1]/colgroup[1]",
      "/html[1]/body[1]/table[1]/colgroup[1]/col[1]",
      "/html[1]/body[1]/table[1]/tbody[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[1]",
      "/html[1]/body[1]/table[1]/tbody[1]/tr[1]/td[2]",
    ]);
  });
});

describe("parsePage entity decoding", () => {
  // htmlparser2's tree, with the empty head a browser (and the page builder) adds to a page without one.
  const reference = (html: string) => {
    const tree = shape(
      parseDocument(html, {
        decodeEntities: true,
        lowerCaseAttributeNames: true,
        lowerCaseTags: true,
      }) as never,
    );
    const root = tree.children?.find((child) => child.name === "html");
    if (root && !root.children?.some((child) => child.name === "head"))
      root.children?.unshift({ name: "head", attribs: {}, children: [] });
    return tree;
  };

  it.each([
    ["an entity-heavy fragment", `<html><body>${ENTITIES}</body></html>`],
    ["an unterminated raw-text element", "<html><body><div>x &amp; y<script>a &amp; b"],
    [
      "plaintext and RCDATA",
      "<html><body><p>a&amp;b</p><TEXTAREA>&lt;x</TEXTAREA><plaintext>&amp; <b>x</b> &lt;",
    ],
    // Names are interned from the source by the page parser: case, svg/math, aliases, odd names.
    // (The table has its tbody: rows straight in a table are where the page parser builds what a
    // browser builds instead of what htmlparser2 does; see "builds the page as a browser does".)
    [
      "names in every case, foreign content and aliases",
      `<HTML><Body><DIV Class="a" DATA-X="1" aria-LABEL="l">x<P>y<p>z</DIV><IMAGE SRC="i.png">
<svg viewBox="0 0 1 1"><clipPath id="c"/><foreignObject><Div>in</Div></foreignObject><IMAGE/></svg>
<math><mi>x</mi></math><TABLE><TBODY><TR><TD>1<td>2</TABLE><form><form><INPUT NAME="n"></form></form>
<div ÄTTR="1" data-é="2" ${"A".repeat(60)}="long">ü</div><ul><li>a<LI>b</ul><br/></br></p></Body></HTML>`,
    ],
    // The node arrays are sized from the start tags: comments split texts, </br> opens a br.
    [
      "more nodes than start tags",
      `<html><body><p>${"a<!---->".repeat(300)}</p>${"</br>x".repeat(200)}<i ${"b=1 ".repeat(20)}c=2></i></body></html>`,
    ],
    [
      "more distinct names than the table keeps",
      `<html><body>${Array.from({ length: 700 }, (_, i) => `<X-${i} A${i}="${i}" a${i}="dup">t</x-${i}>`).join("")}</body></html>`,
    ],
  ])("decodes text and attributes exactly as htmlparser2 does: %s", (_name, html) => {
    expect(shape(asDomhandler(parsePage(html).document) as never)).toEqual(reference(html));
  });

  it("links every node to its previous and next sibling, as domhandler does", () => {
    const page = parsePage(`<div><p>a</p>b<i>c</i><br><span></span></div><ul><li>1</li></ul>tail`);
    const check = (node: { children?: unknown[] }) => {
      const children = (node.children ?? []) as { prev: unknown; next: unknown; children?: unknown[] }[];
      children.forEach((child, i) => {
        expect(child.prev).toBe(children[i - 1] ?? null);
        expect(child.next).toBe(children[i + 1] ?? null);
        check(child);
      });
    };
    check(page.document);
    expect(page.document.children).toHaveLength(1);
  });

  it("describes entity-bearing elements with decoded values", () => {
    const page = parsePage(ENTITIES);
    const button = page.elements.find((e) => e.descriptor.tag === "button")!.descriptor;
    expect(button.attributes?.["aria-label"]).toBe("Save & close");
    expect(button.text).toBe("Save & close");
    const input = page.elements.find((e) => e.descriptor.tag === "input")!.descriptor;
    expect(input.attributes).toMatchObject({ placeholder: "Search…", value: "a&b" });
    expect(input.accessibleName).toBe("Query & filter");
    const link = page.elements.find((e) => e.descriptor.tag === "a")!.descriptor;
    expect(link.attributes?.href).toBe("/x?a=1&b=2&copy=3&c=<");
    expect(link.text).toBe("link »");
  });
});

describe("healDom Playwright locator", () => {
  const heal = async (html: string) => {
    const target = parsePage(html).elements.find((e) => e.descriptor.attributes?.id === "t")!.descriptor;
    return (await healDom({ selector: "#gone", dom: html, target })).playwright;
  };
  it.each([
    ["nested inline text, other case and spacing", `<div role="button">  SAVE <i>draft</i></div>`],
    ["an aria-label", `<a href="/s" role="button" aria-label=" save   Draft">x</a>`],
    ["a label", `<label>Save draft <input type="button" value="zzz"></label>`],
    ["a value", `<input type="submit" value="Save draft">`],
    ["a title", `<span role="button" title="save DRAFT"></span>`],
    ["aria-labelledby", `<span role="button" aria-labelledby="n"></span><h2 id="n">Save draft</h2>`],
  ])("is not getByRole when another element has the same role and name (%s)", async (_name, other) => {
    const unique = await heal(`<main><button id="t">Save draft</button><p>x</p></main>`);
    expect(unique).toBe("getByRole('button', { name: 'Save draft', exact: true })");
    expect(await heal(`<main><button id="t">Save draft</button><p>x</p>${other}</main>`)).not.toMatch(
      /^getByRole/,
    );
  });

  it("names an element by the text its aria-labelledby points at, as the browser does", async () => {
    const html = `<main><h2 id="title">Delete project?</h2><section id="t" role="dialog" aria-labelledby="title">
      <p>This cannot be undone.</p><button>Delete</button></section></main>`;
    expect(
      parsePage(html).elements.find((e) => e.descriptor.attributes?.id === "t")?.descriptor.accessibleName,
    ).toBe("Delete project?");
    expect(await heal(html)).toBe("getByRole('dialog', { name: 'Delete project?', exact: true })");
  });
});
