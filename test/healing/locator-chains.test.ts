import { describe, expect, it } from "vitest";
import { targetFromSelector } from "../../shared/healing/cold-start.ts";
import { parsePage } from "../../shared/healing/dom.ts";
import { nativeSelector } from "../../shared/healing/foreign-locators.ts";
import { healDom } from "../../shared/healing/heal.ts";
import { chainedSelector } from "../../shared/healing/locator-chains.ts";
import { findOldElement } from "../../shared/healing/old-element.ts";

describe("Playwright locator chains written as code", () => {
  it.each([
    ["page.locator('#save')", "#save"],
    ["page.locator('#f').locator('button')", "#f >> button"],
    ["page.locator('button').filter({ hasText: 'Save' })", 'button >> internal:has-text="Save"i'],
    [
      "await this.page.locator('li', { hasText: 'Beta' }).locator('button');",
      'li >> internal:has-text="Beta"i >> button',
    ],
    ["page.locator('li').filter({ hasNotText: /sold out/i })", "li >> internal:has-not-text=/sold out/i"],
    ["page.locator('button').first()", "button >> nth=0"],
    ["page.locator('button').last()", "button >> nth=-1"],
    ['locator("ul > li").nth(2)', "ul > li >> nth=2"],
    // getBy* calls as the internal engines Playwright runs them with (and prints).
    ["page.getByRole('button', { name: 'Save' })", 'internal:role=button[name="Save"i]'],
    ["getByRole('button', { name: 'Save', exact: true })", 'internal:role=button[name="Save"s]'],
    ["getByRole('heading', { level: 2 })", "internal:role=heading"],
    ['frame.getByText("Say \\"hi\\"")', 'internal:text="Say \\"hi\\""i'],
    ["getByText('Saved', { exact: true })", 'internal:text="Saved"s'],
    ["getByLabel(/e-?mail/i)", "internal:label=/e-?mail/i"],
    ["getByTestId('cart')", 'internal:testid=[data-testid="cart"s]'],
    ["getByPlaceholder(`Search`)", 'internal:attr=[placeholder="Search"i]'],
    ["getByAltText('Logo')", 'internal:attr=[alt="Logo"i]'],
    ["getByTitle('Close', { exact: true })", 'internal:attr=[title="Close"s]'],
    [
      "page.getByRole('dialog').getByRole('button', { name: /ok/i }).first()",
      "internal:role=dialog >> internal:role=button[name=/ok/i] >> nth=0",
    ],
    [
      "page.getByRole('listitem').filter({ hasText: 'Product 2' }).getByRole('button', { name: 'Add to cart' })",
      'internal:role=listitem >> internal:has-text="Product 2"i >> internal:role=button[name="Add to cart"i]',
    ],
    ["page.locator('#f').getByLabel('Email')", '#f >> internal:label="Email"i'],
    [
      "page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Product 2' }) })",
      'internal:role=listitem >> internal:has="internal:role=heading[name=\\"Product 2\\"i]"',
    ],
    [
      "locator('li', { hasNot: getByText('Sold out') })",
      'li >> internal:has-not="internal:text=\\"Sold out\\"i"',
    ],
  ])("%s → %s", (chain, selector) => {
    expect(chainedSelector(chain)).toBe(selector);
  });

  it("leaves anything else alone", () => {
    for (const other of [
      "#save",
      "page.locator('a').click()",
      "page.filter({ hasText: 'x' })",
      "page.first()",
      "page.getByRole(role)",
      "page.getByRole('button', { name })",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the locator code under test holds a template.
      "page.getByText(`Hello ${name}`)",
      "page.frameLocator('#pay').getByRole('button')",
      "page.locator('li').filter({ has: row })",
      "cy.visit('/')",
      "By.id('save')",
    ])
      expect(chainedSelector(other)).toBeNull();
  });

  it("reads the locator code starts with when asked, whatever follows it", () => {
    expect(chainedSelector("getByText('Saved')).toBeVisible()", true)).toBe('internal:text="Saved"i');
    expect(chainedSelector("getByText('Saved').click({ force: true })", true)).toBe('internal:text="Saved"i');
    expect(chainedSelector("getByText('Saved')).toBeVisible()")).toBeNull();
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

  const DIALOG =
    '<html><body><main><h1>Orders</h1><button class="ok">OK</button><label>Email <input id="e"></label>' +
    "<p>Saved <b>draft</b></p><ul><li><span>Alpha</span> <button>Delete</button></li>" +
    "<li><span>Beta</span> <button>Delete</button></li></ul></main>" +
    '<div role="dialog" aria-labelledby="d-title"><p id="d-title">Discard changes?</p><button class="ok">OK</button>' +
    '<button>OK, later</button></div><input aria-labelledby="q-label"><span id="q-label">Quantity</span></body></html>';
  const oldXpath = (selector: string) =>
    findOldElement(parsePage(DIALOG), nativeSelector(selector))?.descriptor.xpath ?? null;

  it.each([
    // The dialog's OK, not the page's: each step searches inside the one before.
    [
      "page.getByRole('dialog').getByRole('button', { name: 'OK', exact: true })",
      "/html[1]/body[1]/div[1]/button[1]",
    ],
    ['internal:role=dialog >> internal:role=button[name="OK, later"i]', "/html[1]/body[1]/div[1]/button[2]"],
    ["page.getByRole('heading')", "/html[1]/body[1]/main[1]/h1[1]"],
    // Named by aria-labelledby, as dialogs and regions usually are.
    [
      "getByRole('dialog', { name: 'Discard changes?' }).getByRole('button', { name: 'OK, later' })",
      "/html[1]/body[1]/div[1]/button[2]",
    ],
    ["getByLabel('Quantity')", "/html[1]/body[1]/input[1]"],
    // getByText names the innermost element holding the text.
    ["getByText('discard changes')", "/html[1]/body[1]/div[1]/p[1]"],
    ["getByText('Saved draft', { exact: true })", "/html[1]/body[1]/main[1]/p[1]"],
    ['text="Orders"', "/html[1]/body[1]/main[1]/h1[1]"],
    ["getByLabel('Email')", "/html[1]/body[1]/main[1]/label[1]/input[1]"],
    [
      "page.getByRole('listitem').filter({ hasText: 'Beta' }).getByRole('button')",
      "/html[1]/body[1]/main[1]/ul[1]/li[2]/button[1]",
    ],
    [
      "page.locator('li').filter({ hasNotText: 'Beta' }).locator('button')",
      "/html[1]/body[1]/main[1]/ul[1]/li[1]/button[1]",
    ],
    ["getByRole('button', { name: 'Delete' }).last()", "/html[1]/body[1]/main[1]/ul[1]/li[2]/button[1]"],
    [
      "page.getByRole('listitem').filter({ has: page.getByText('Beta') }).getByRole('button')",
      "/html[1]/body[1]/main[1]/ul[1]/li[2]/button[1]",
    ],
    ["page.locator('li').filter({ hasNot: page.getByText('Beta') })", "/html[1]/body[1]/main[1]/ul[1]/li[1]"],
  ])("finds %s on the old page as Playwright would", (selector, xpath) => {
    expect(oldXpath(selector)).toBe(xpath);
  });

  it.each([
    // Playwright's strict mode would have refused these: which element was meant is unknown.
    "getByRole('button', { name: 'OK' })",
    "getByRole('button', { name: 'Delete' })",
    // A regex is never run against the page.
    "getByRole('heading', { name: /ord/i })",
    "getByRole('dialog').filter({ hasText: /discard/ })",
  ])(
    "names no old element for %s (ambiguous or a regex): the heal reads it as partial evidence",
    (selector) => {
      expect(oldXpath(selector)).toBeNull();
    },
  );

  it("finds an image link by the name the browser gives it (the image's alt), as its author wrote it", () => {
    const page = parsePage(`<html><body><header><a href="/"><img alt="Acme home" src="logo.png"></a>
      <a href="/s"><svg><title>Search</title></svg></a><a href="/docs">Docs</a></header></body></html>`);
    const found = (selector: string) =>
      findOldElement(page, nativeSelector(selector))?.descriptor.xpath ?? null;
    expect(found("page.getByRole('link', { name: 'Acme home', exact: true })")).toBe(
      "/html[1]/body[1]/header[1]/a[1]",
    );
    expect(found("page.getByRole('link', { name: 'Search' })")).toBe("/html[1]/body[1]/header[1]/a[2]");
  });

  it("heals the dialog's OK once its markup changed, not the page's OK beside it", async () => {
    const changed = DIALOG.replace(
      '<div role="dialog"><p>Discard changes?</p><button class="ok">OK</button>',
      '<div role="dialog"><p>Discard changes?</p><button class="btn-confirm" data-testid="confirm">OK</button>',
    );
    const result = await healDom({
      selector: "page.getByRole('dialog').locator('button.ok')",
      dom: changed,
      previousDom: DIALOG,
    });
    expect(result.healed).toBe(true);
    expect(result.xpath).toBe("/html[1]/body[1]/div[1]/button[1]");
  });

  it("nested matches are searched once each, and a chain longer than anyone writes names nothing", () => {
    const page = parsePage(
      `<html><body>${"<div>".repeat(40)}<b>in</b>${"</div>".repeat(40)}<b>out</b></body></html>`,
    );
    const xpath = (selector: string) => findOldElement(page, selector)?.descriptor.xpath ?? null;
    expect(xpath(`${"div >> ".repeat(30)}b`)).toBe(`/html[1]/body[1]${"/div[1]".repeat(40)}/b[1]`);
    expect(xpath("div >> b")).toBe(`/html[1]/body[1]${"/div[1]".repeat(40)}/b[1]`);
    expect(xpath(`${"div >> ".repeat(40)}b`)).toBeNull();
  });

  it("nested has filters run within a budget: past it the old element is unknown, not searched for seconds", () => {
    const selector = nativeSelector(
      "page.locator('div').filter({ has: page.locator('div').filter({ has: page.locator('div').filter({ has: page.locator('b') }) }) })",
    );
    const page = (depth: number) =>
      parsePage(`<html><body>${"<div>".repeat(depth)}<b>x</b>${"</div>".repeat(depth)}</body></html>`);
    expect(findOldElement(page(3), selector)?.descriptor.xpath).toBe("/html[1]/body[1]/div[1]");
    expect(findOldElement(page(500), selector)).toBeNull();
  });

  it("an nth past the matches names no element: the chain is then read as partial evidence", async () => {
    const result = await healDom({ selector: "button >> nth=9", dom: NEW, previousDom: OLD });
    expect(result.healed).toBe(false);
  });
});
