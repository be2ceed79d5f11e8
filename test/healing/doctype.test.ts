import { describe, expect, it } from "vitest";
import { isQuirksDoctype } from "../../shared/healing/doctype.ts";
import { parsePage } from "../../shared/healing/dom.ts";

describe("quirks mode from the doctype", () => {
  it.each([
    ["<!DOCTYPE html>", false],
    ["<!doctype HTML>", false],
    ['<!DOCTYPE html SYSTEM "about:legacy-compat">', false],
    ['<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">', false],
    [
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">',
      false,
    ],
    [
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
      false,
    ],
    ['<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">', true],
    ["<!DOCTYPE HTML PUBLIC '-//W3C//DTD HTML 4.01 Frameset//EN'>", true],
    [
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN" "http://www.w3.org/TR/REC-html40/loose.dtd">',
      true,
    ],
    ['<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">', true],
    ['<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">', true],
    [
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd">',
      true,
    ],
    ["<!DOCTYPE html PUBLIC>", true],
    ["<!DOCTYPE foo>", true],
  ])("%s → quirks %s", (doctype, quirks) => {
    expect(isQuirksDoctype(doctype.slice(1, -1))).toBe(quirks);
  });

  it("keeps a paragraph open around a table in quirks mode only, and reads a page sent without a doctype in standards mode", () => {
    const body = "<p>intro<table><tr><td>cell</td></tr></table>after";
    const tableOf = (html: string) =>
      parsePage(html).elements.find((e) => e.descriptor.tag === "table")!.descriptor.xpath;
    expect(tableOf(`<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">${body}`)).toBe(
      "/html[1]/body[1]/p[1]/table[1]",
    );
    expect(tableOf(`<!DOCTYPE html>${body}`)).toBe("/html[1]/body[1]/table[1]");
    expect(tableOf(body)).toBe("/html[1]/body[1]/table[1]");
    // A doctype after the first element sets nothing (a browser ignores it).
    expect(tableOf(`<div></div><!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">${body}`)).toBe(
      "/html[1]/body[1]/table[1]",
    );
  });
});
