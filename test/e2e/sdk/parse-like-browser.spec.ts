// The DOM form reads pages without a browser, yet the xpaths and CSS paths it reads from a stored
// selector and returns in an answer are the browser's. So the page builder must build the tree
// Chromium builds, also from the markup real pages carry that is not well formed: tags that are
// optional and left out (minifiers drop them), a head never closed, paragraphs and list items
// closed by what follows them, tables without their sections, stray document tags, mismatched
// heading ends (docs/heal-model.md, "The page as the browser builds it"). Each case compares every
// element's indexed xpath, in document order, with Chromium's.
import { expect, test } from "@playwright/test";
import { chromiumXpaths, engineXpaths } from "../../../bench/heal/selectors-in-browser.ts";

const CASES: Record<string, string> = {
  "a head with attributes and no end, no body tag": `<!doctype html><html lang="en"><head prefix="og: https://ogp.me/ns#"><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,"><div id="app"><a href="/x">x</a><button>Go</button></div></html>`,
  "no html tag, a head and no body tag": `<!doctype html><head><title>t</title><link rel="icon" href="data:,"><p>hello <button>b</button><p>again`,
  "a fragment": `<div><a href="/">home</a></div><p>text <a href="/a">a</a></p><ul><li>x</li></ul>`,
  "a body without html": `<body><table><tr><td>a</td></tr></table><a href="/">x</a></body>`,
  "elements and text before the html tag": `<meta charset="utf-8"><html><head><title>x</title></head><body><div>a</div></body></html>`,
  "text before the doctype": `{% raw %}<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div>a</div><a href="/">b</a></body></html>`,
  "text before the body": `<html><head><title>t</title></head>loose text<div>x</div></html>`,
  // (A table closes a paragraph in standards mode only; a legacy doctype's quirks mode is below.)
  "a paragraph closed by a list item, a term, a table": `<!doctype html><ul><p>intro<li>one</li><li>two</ul><dl><p>x<dt>term<dd>def</dl><p>para<table><tr><td>c</td></tr></table>`,
  "a paragraph with an open span closed by a block": `<p>a <span>b <div>c</div> d</span> e</p><p>after</p><a href="/">x</a>`,
  "a list item with an open span closed by the next": `<ul><li><span>one<li>two<li><b>three</b></ul><dl><dt><span>t<dd>d</dl>`,
  "cols without a colgroup": `<table><col width="50"><col><tr><td>a<td>b</table><table><caption>c</caption><col><thead><tr><th>h</th></tr></thead><tr><td>x</td></tr></table>`,
  "cells without rows": `<table><td>a</td><td>b</td></table><table><tbody><td>c</td></tbody></table>`,
  "table parts outside any table": `<div><tr><td>cell</td></tr><caption>cap</caption></div><a href="/">x</a>`,
  "a heading ended by another heading's end tag": `<h5><a id="f1" href="#n1">(1)</a></h3><p>note <a href="#b">back</a></p><h2>Next</h4><p>x</p>`,
  "stray head, body and html tags in the body": `<html><body><div>a</div><head><title>x</title></head><body class="x"><div>b</div><html lang="fr"><p>c</p></body></html>`,
  "content after the end of the body and the html": `<html><body><div>a</div></body></html><div>late</div><p>later</p>`,
  "elements left open at </body> and </html> hold what follows": `<html><body><div class="app"><p>x</p></body></html><div>late</div><a href="/">l</a><ul><li>a</html><li>b</ul>`,
  "HTML inside an svg foreignObject and MathML": `<div><svg><circle/><foreignObject><div><a href="/in">in</a></div></foreignObject></svg><math><mi>x</mi></math></div>`,
  // Where htmlparser2's own implied closes go further, or not as far, as a browser's.
  "fields inside buttons, a select inside a select": `<button><input name="a"></button><button><select><option>1</select></button><button><textarea>t</textarea></button><label>L<input><button>b</button></label><select><option>a<select><option>b</select><p>after`,
  "cells, captions and colgroups left open": `<table><thead><td>h</td></thead><tbody><tr><td>x</td></tr></tbody></table><table><tr><td>a<th>b</table><table><tr><td><span>s<td>t</table><table><caption>cap<tr><td>x</td></tr></table><table><colgroup><col><tr><td>y</td></tr></table>`,
  "ruby parts left open": `<ruby>x<rb>a<rt>b<rp>(<rtc>c</ruby><ruby>y<rtc>r<rt>s<rp>t</ruby>`,
  "a noscript after the head": `<html><head></head><noscript><div>no js</div></noscript><body><div>a</div></body></html>`,
  "a paragraph inside a button is not closed by a block": `<p>x<button><div>in</div></button>y<div>out</div>`,
  // Formatting elements a block ends before their end tag are opened again in what follows.
  "gtk-doc sections: the reopened anchor holds the next section until the next anchor": `<div class="refsect1"><div class="refsect2"><h3><a name="a1"/>One</h3><pre>code;\n</pre><p>text</p><div class="variablelist"><table><tr><td>x</td></tr></table></div></div>\n<hr/>\n<div class="refsect2"><h3><a name="a2"/>Two</h3><pre>void <a href="#t">t</a></pre></div>\n<hr/>\n<div class="refsect2"><div class="x"><h3><a name="a3"/>Three</h3></div></div></div>`,
  "a self-closed anchor (gtk-doc)": `<div class="refsect2"><h3><a name="x"/>Title</h3><pre class="programlisting">code <a href="y">T</a> text</pre><p>para</p></div><div><a name="z"/>Next</div><pre>more <a href="w">W</a></pre>`,
  "a bold left open across blocks": `<div><b>x</div><div>y</div>\n<div>z <span>s</span></div><p><i>one<p>two</i> after</p>`,
  "a link holding a block, and links nested": `<p><a href="1">one<div>block</div>tail</a></p><a href="2">x<a href="3">y</a></a><a href="4"><span>s<a href="5">t</a></span></a>`,
  "formatting left open in a cell is not reopened outside": `<table><tr><td><b>cell</td><td>next</td></tr></table><p>after</p><font color="red">f<div>in</div>g</font>`,
  "a formatting end tag with blocks open inside it (adoption agency)": `<b><div>x</b>y</div><p>z</p><strong><p>text</strong></p><b class="k"><div><p>x<i>i</b>y</p>z</div>w<a href="/x"><div>block <span>s</a> tail</span></div><i><h1>title</i> more</h1>`,
  "adoption around a table, a button, a list, nine blocks deep": `<b><table><tr><td>x</b>y</td></tr></table>z</b>after<b><button>x</b>y</button><em><ul><li>one</em><li>two</ul><font color="red"><div><div><div><div><div><div><div><div><div><div>deep</font>x`,
  "misnested formatting end tags": `<b>1<i>2</b>3</i>4<p><u>a<p>b</u>c</p><em><strong>x</em>y</strong>z`,
  "a table in a paragraph under a legacy doctype (quirks mode)": `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"><p>intro<table><tr><td>cell<a href="/x">x</a></td></tr></table>after<p>two</p>`,
  "a table in a paragraph under a limited-quirks doctype": `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd"><p>intro<table><tr><td>cell</td></tr></table>after<p>two</p>`,
  // A page has one form pointer: forms in tables, forms never closed, forms closed inside a div.
  "a form between a table and its rows": `<table><form action="/s"><tr><td><input name="a"></td><td><button>Go</button></td></tr></form></table><table><tbody><form id="f"><tr><td><input name="q"></td></tr></form><tr><td><a href="/">x</a></td></tr></tbody></table><table><tr><td>a</td><form><td>b<input></td></form></tr></table>`,
  "a form a cell ended: the next form tag opens nothing until </form>": `<table><tr><td><form id="a"><input name="a"></td><td><form id="b"><input name="b"></form></td></tr></table><form id="c"><input name="c"></form>`,
  "a form closed inside a div it holds": `<div id="o"><form><div id="i"><input name="x"></form><input name="y"></div><input name="z"></div><form><b>bold</form>text<input name="t"></b><input name="u">`,
  "a form closed inside a table, a list, a select": `<form id="a"><table><tr><td></form><input name="a"></td></tr></table><input name="b"></form><form id="c"><ul><li>a</form><li>b<input></ul><form><select><option>a</form><input name="s">`,
  // What a table holds outside any cell a browser moves before the table (foster parenting).
  "elements and text in a table outside any cell": `<table><div class="x">pre<a href="/q">link</a><tr><td>cell</td></tr><tr><a href="/row">row link</a><td>c</td></tr><tr>text<td>c2</td></tr></table><table><tr><td>a</td></tr><div>mid<span>s</span></div><tr><td>b</td></tr></table>`,
  "inputs, a select and a form in a table outside any cell": `<table><input type="hidden" name="h"><input type="text" name="t"><select><option>1</select><tr><td>x</td></tr></table><table><div><form><input name="f"></form><tr><td>c</td></tr></div></table>`,
  "a table in a table outside any cell, and in a moved element": `<table><tr><td>a</td></tr><table><tr><td>b</td></tr></table><p>after</p><div><table><div><table><tr><td>inner</td></tr></table><tr><td>outer</td></tr></table></div>`,
  "sections, captions and formatting around moved elements": `<table><caption>c</caption><div>d</div><colgroup><col></colgroup><thead><tr><th>h</th></tr></thead><span>s</span><tbody><tr><td>x</td></tr></tbody></table><table><div>x<b>y<tr><td>z</td></tr></table>w</b>v<ul><li><table><li>item<tr><td>c</td></tr></table></li></ul>`,
  "a nested form tag": `<form><div><form><div>x</div></form><a href="#">after</a></div></form><a href="#">out</a><form><div></form><form><input name="inner"></form></div><form><input name="last"></form>`,
};

test("the page builder builds the elements Chromium builds from markup that is not well formed", async ({
  page,
}) => {
  const wrong: string[] = [];
  for (const [name, html] of Object.entries(CASES)) {
    await page.setContent(html);
    const browser = await chromiumXpaths(page);
    const engine = engineXpaths(html);
    if (JSON.stringify(engine) !== JSON.stringify(browser))
      wrong.push(`${name}:\n  engine  ${engine.join(" ")}\n  browser ${browser.join(" ")}`);
  }
  expect(wrong.join("\n")).toBe("");
});
