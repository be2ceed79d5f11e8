import { describe, expect, it } from "vitest";
import { targetFromSelector } from "../../shared/healing/cold-start.ts";
import { parsePage } from "../../shared/healing/dom.ts";
import { healDom } from "../../shared/healing/heal.ts";
import { chainedSelector } from "../../shared/healing/locator-chains.ts";
import { findOldElement } from "../../shared/healing/old-element.ts";

describe("Playwright locator chains written as code", () => {
  it.each([
    ["page.locator('#save')", "#save"],
    ["page.locator('#f').locator('button')", "#f >> button"],
    ["page.locator('button').filter({ hasText: 'Save' })", 'button:has-text("Save")'],
    ["await this.page.locator('li', { hasText: 'Beta' }).locator('button')", 'li:has-text("Beta") >> button'],
    ["page.locator('button').first()", "button >> nth=0"],
    ["page.locator('button').last()", "button >> nth=-1"],
    ['locator("ul > li").nth(2)', "ul > li >> nth=2"],
  ])("%s → %s", (chain, selector) => {
    expect(chainedSelector(chain)).toBe(selector);
  });

  it("leaves anything else alone", () => {
    for (const other of [
      "#save",
      "page.getByRole('button')",
      "page.locator('a').click()",
      "page.filter({ hasText: 'x' })",
    ])
      expect(chainedSelector(other)).toBeNull();
  });

  it("an nth step says nothing about the element, so a cold start reads the part before it", () => {
    expect(targetFromSelector("page.locator('button.primary').first()")).toEqual({
      tag: "button",
      attributes: { class: "primary" },
    });
  });

  const OLD =
    '<html><body><form id="f"><button id="save" class="btn">Save changes</button><button>Cancel</button></form>' +
    "<ul><li>Alpha <button>Delete</button></li><li>Beta <button>Delete</button></li></ul></body></html>";
  const NEW =
    '<html><body><form id="f2"><button data-testid="save-btn" class="btn primary">Save changes</button>' +
    '<button data-testid="cancel">Cancel</button></form>' +
    '<ul><li data-row="beta">Beta <button>Remove</button></li><li data-row="alpha">Alpha <button>Remove</button></li></ul></body></html>';

  const SAVE = "/html[1]/body[1]/form[1]/button[1]";
  const CANCEL = "/html[1]/body[1]/form[1]/button[2]";
  it.each([
    ["button >> nth=1", CANCEL],
    ["page.locator('#f').locator('button').last()", CANCEL],
    ["page.locator('button').filter({ hasText: 'Save' })", SAVE],
    ["#f >> button >> nth=0", SAVE],
    ["xpath=//form/button[2]", CANCEL],
    ["button:has-text('cancel')", CANCEL],
  ])("finds %s on the old page and heals it", async (selector, xpath) => {
    const result = await healDom({ selector, dom: NEW, previousDom: OLD });
    expect(result.healed).toBe(true);
    expect(result.xpath).toBe(xpath);
  });

  it("the row a chain names keeps its identity when rows are reordered", async () => {
    const result = await healDom({
      selector: "page.locator('li', { hasText: 'Beta' }).locator('button')",
      dom: NEW,
      previousDom: OLD,
    });
    expect(result.xpath).toBe("/html[1]/body[1]/ul[1]/li[1]/button[1]");
  });

  it("each part of a chain is searched inside the previous part's matches, never among them", () => {
    const page = parsePage(
      '<html><body><div id="f" class="x"><div class="x"><b>in</b></div></div><div class="x">out</div></body></html>',
    );
    const xpath = (selector: string) => findOldElement(page, selector)?.descriptor.xpath ?? null;
    expect(xpath("#f >> .x")).toBe("/html[1]/body[1]/div[1]/div[1]");
    expect(xpath("#f >> #f")).toBeNull();
    expect(xpath(".x >> nth=2")).toBe("/html[1]/body[1]/div[2]");
    expect(xpath(".x >> nth=-1")).toBe("/html[1]/body[1]/div[2]");
  });

  it("an nth past the matches names no element: the chain is then read as partial evidence", async () => {
    const result = await healDom({ selector: "button >> nth=9", dom: NEW, previousDom: OLD });
    expect(result.healed).toBe(false);
  });
});
