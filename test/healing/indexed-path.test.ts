import { selectAll } from "css-select";
import { describe, expect, it } from "vitest";
import { asDomhandler, type Element, parsePage } from "../../shared/healing/dom.ts";
import { healDom } from "../../shared/healing/index.ts";
import { indexedPathOf } from "../../shared/healing/page-arrays.ts";
import { PreparedPage } from "../../shared/healing/prepared-page.ts";
import { evaluateXpath } from "../../shared/healing/xpath.ts";

// Labels before and after their controls, a wrapping label, hidden parts, entities, raw text,
// foreign content, implied closes and repeated names: what describing one element depends on.
const PAGE = `<!doctype html><html><head><title>T &amp; t</title><script>var s = "<p>";</script></head>
<body><label for="q">Search &amp; find</label><div id="top"><p>Intro<p>Second <b>bold</b> text
<form><input id="q" name="q"><label>Remember <input type="checkbox" name="r"> me</label>
<input id="late" name="late"><select name="s"><option>One<option>Two</select></form>
<div hidden><button>Ghost</button></div><ul><li>a<li>b <span>c</span><li>d</ul>
<svg viewBox="0 0 1 1"><clipPath id="c"/><foreignObject><div>in svg</div></foreignObject></svg>
<table><tr><td>1<td>2</table><textarea>x &lt; y</textarea><button aria-label="Go">&raquo;</button>
</div><label for="late">Late label</label><p>tail</p></body></html>`;

describe("indexedPathOf", () => {
  it("reads absolute indexed xpaths only", () => {
    expect(indexedPathOf(" xpath=/html[1]/BODY[1]/div[12] ")).toEqual([
      { name: "html", position: 1 },
      { name: "body", position: 1 },
      { name: "div", position: 12 },
    ]);
    for (const other of ["//div[1]", "/html/body[1]", "/html[1]/body[0]", "/html[1]/*[1]", "#id", "/a[1][2]"])
      expect(indexedPathOf(other)).toBeNull();
  });
});

describe("parsePage with an indexed path", () => {
  const full = parsePage(PAGE);

  it("describes the element at the path exactly as the whole page does", () => {
    expect(full.elements.length).toBeGreaterThan(25);
    for (const entry of full.elements) {
      const xpath = entry.descriptor.xpath!;
      const page = parsePage(PAGE, indexedPathOf(xpath));
      expect(page.atPath?.index, xpath).toBe(entry.element.index);
      expect(page.atPath!.descriptor, xpath).toEqual(entry.descriptor);
      expect(page.atPath!.hidden, xpath).toBe(entry.hidden);
    }
    const late = full.elements.find((entry) => entry.element.attribs.id === "late")!;
    expect(late.descriptor.accessibleName).toBe("Late label");
  });

  it("finds every element at its path, foreign content and non-candidates included", () => {
    // Every element of the tree (head, scripts, svg children too) by its xpath from the tree itself.
    const xpathOf = (element: Element): string => {
      const parent = element.parent as Element | null;
      const siblings = (parent?.children ?? full.document.children).filter(
        (node): node is Element =>
          node.type !== "text" && node.name.toLowerCase() === element.name.toLowerCase(),
      );
      const step = `/${element.name.toLowerCase()}[${siblings.indexOf(element) + 1}]`;
      return parent && parent.type !== ("root" as string) ? xpathOf(parent) + step : step;
    };
    expect(full.allElements.length).toBeGreaterThan(35);
    for (const element of full.allElements) {
      const atPath = parsePage(PAGE, indexedPathOf(xpathOf(element))).atPath;
      expect(atPath?.index, xpathOf(element)).toBe(element.index);
    }
    const clipPath = full.allElements.find((element) => element.name === "clipPath")!;
    expect(clipPath.index).toBeGreaterThan(0);
    expect(parsePage(PAGE, indexedPathOf("/html[1]/body[1]/div[1]/svg[1]/clippath[1]")).atPath?.index).toBe(
      clipPath.index,
    );
    expect(parsePage(PAGE, indexedPathOf("/html[1]/head[1]/script[1]")).atPath?.index).toBe(-1);
    expect(parsePage(PAGE, indexedPathOf("/html[1]/body[1]/div[1]/ul[1]/li[4]")).atPath).toBeNull();
  });

  it("finds what evaluateXpath finds, and nothing where it finds nothing", () => {
    for (const xpath of ["/html[1]/body[1]/div[1]/p[3]", "/html[1]/body[1]/div[2]", "/html[1]/body[1]"]) {
      const found = evaluateXpath(full.document, xpath)!;
      const atPath = parsePage(PAGE, indexedPathOf(xpath)).atPath;
      expect(atPath?.index ?? null, xpath).toBe(found[0]?.index ?? null);
    }
    // body is on the page but not a candidate.
    expect(parsePage(PAGE, indexedPathOf("/html[1]/body[1]")).atPath!.index).toBe(-1);
  });

  it("heals with previousDom and an indexed xpath as with the whole old page", async () => {
    const next = PAGE.replace('<input id="late" name="late">', '<input id="late-2" name="late">');
    const xpath = full.elements.find((entry) => entry.element.attribs.id === "late")!.descriptor.xpath!;
    const target = full.elements.find((entry) => entry.element.attribs.id === "late")!.descriptor;
    const viaPath = await healDom({ selector: xpath, dom: next, previousDom: PAGE });
    const viaTarget = await healDom({ selector: xpath, dom: next, target });
    expect(viaPath).toEqual(viaTarget);
    expect(viaPath.healed).toBe(true);
  });
});

describe("PreparedPage.mayBeNamed", () => {
  it("never rules out an element's own accessible name, nested document elements included", () => {
    const html = `${PAGE.replace("</body>", "")}<button><body hidden>X</body>Save</button><a href="/"><html>Y</html>Home</a></body>`;
    const page = parsePage(html);
    // A second body or html start tag is dropped, as browsers drop it: its text is the button's.
    expect(selectAll("html, body", asDomhandler(page.document))).toHaveLength(2);
    const prepared = new PreparedPage(page);
    const names = page.elements.map((_, i) => prepared.nameOf(i));
    for (let i = 0; i < page.elements.length; i++) {
      const fresh = new PreparedPage(page);
      for (const name of names)
        if (name === names[i] && name !== "") expect(fresh.mayBeNamed(i, name), name).toBe(true);
    }
    expect(names).toContain("xsave");
    expect(names).toContain("yhome");
  });
});
