import { describe, expect, it } from "vitest";
import { targetFromSelector } from "../../shared/healing/cold-start.ts";
import { nativeSelector } from "../../shared/healing/foreign-locators.ts";
import { healDom } from "../../shared/healing/heal.ts";

describe("nativeSelector: Selenium, Cypress and Playwright locators as the selector they stand for", () => {
  it.each([
    // Java's and C#'s By.toString().
    ["By.id: save", '[id="save"]'],
    ["By.Id: save", '[id="save"]'],
    ["By.name: q", '[name="q"]'],
    ["By.className: btn-primary", ".btn-primary"],
    ["By.className: 2col", '[class~="2col"]'],
    ["By.tagName: BUTTON", "button"],
    ["By.cssSelector: form > button.primary", "form > button.primary"],
    ["By.xpath: //button[@id='save']", "//button[@id='save']"],
    ["By.linkText: Home page", "//a[normalize-space()='Home page']"],
    ["By.partialLinkText: Home", "//a[contains(.,'Home')]"],
    ["By.linkText: Bob's page", `//a[normalize-space()="Bob's page"]`],
    // Calls, bare or inside findElement (Java, JavaScript, C#).
    ['By.id("save")', '[id="save"]'],
    ["driver.findElement(By.css('.cart'))", ".cart"],
    ['await driver.findElement(By.xpath("//a[1]"))', "//a[1]"],
    ['By.Id("a\\"b")', '[id="a\\"b"]'],
    // Python and Ruby.
    ["(By.ID, 'save')", '[id="save"]'],
    ['driver.find_element(By.CSS_SELECTOR, "#save")', "#save"],
    ["By.LINK_TEXT, 'Home'", "//a[normalize-space()='Home']"],
    ["find_element_by_name('q')", '[name="q"]'],
    ["find_element(:id, 'save')", '[id="save"]'],
    ["find_element(class: 'btn')", ".btn"],
    // Cypress.
    ["cy.get('[data-cy=submit]')", "[data-cy=submit]"],
    ["cy.contains('Save changes')", 'internal:text="Save changes"i'],
    ["cy.contains('button', 'Save')", 'button >> internal:has-text="Save"i'],
    // Cypress chains, with the command after them left out.
    ["cy.get('.list').find('li').eq(2).click()", ".list >> li >> nth=2"],
    [
      "cy.get('form').contains('button', 'Save').click({ force: true })",
      'form >> button >> internal:has-text="Save"i',
    ],
    ["cy.get('[data-cy=submit]').should('be.visible')", "[data-cy=submit]"],
    ["cy.contains(/sign in/i).first()", "internal:text=/sign in/i >> nth=0"],
    // Testing Library's queries.
    ["cy.findByRole('button', { name: /save/i })", "internal:role=button[name=/save/i]"],
    ["cy.findByLabelText('Email').type('ada@example.com')", 'internal:label="Email"i'],
    ["cy.findByTestId('cart')", 'internal:testid=[data-testid="cart"s]'],
    // Playwright code with an action after the locator.
    ["await page.getByRole('button', { name: 'Save' }).click();", 'internal:role=button[name="Save"i]'],
  ])("%s → %s", (locator, native) => {
    expect(nativeSelector(locator)).toBe(native);
  });

  it("leaves every other selector as it is, and an unknown strategy too", () => {
    for (const selector of [
      "#save",
      "//button[1]",
      "expect(getByRole('button'))",
      "text=By.id: x",
      "By.shadow: x",
    ])
      expect(nativeSelector(selector)).toBe(selector);
  });

  it("gives a cold start the evidence of the selector it stands for", () => {
    expect(targetFromSelector("By.id: save")).toEqual({ tag: "", attributes: { id: "save" } });
    expect(targetFromSelector("(By.LINK_TEXT, 'Home page')")).toEqual({
      tag: "a",
      attributes: {},
      text: "Home page",
    });
  });

  const OLD =
    '<html><body><form><input name="q"><a href="/home">Home page</a>' +
    '<button id="save" class="btn">Save changes</button><button>Cancel</button></form></body></html>';
  const NEW =
    '<html><body><form><input name="query"><a href="/start">Home page</a>' +
    '<button data-testid="save-btn" class="btn primary">Save changes</button><button>Cancel</button></form></body></html>';

  it.each([
    ["By.id: save", '[data-testid="save-btn"]'],
    ['driver.findElement(By.id("save"))', '[data-testid="save-btn"]'],
    ["(By.ID, 'save')", '[data-testid="save-btn"]'],
    ["By.linkText: Home page", 'a[href="/start"]'],
    ["cy.get('#save')", '[data-testid="save-btn"]'],
    ["cy.get('form').contains('button', 'Save changes').click()", '[data-testid="save-btn"]'],
    ["cy.findByRole('link', { name: 'Home page' })", 'a[href="/start"]'],
  ])("heals %s against the old page like the selector it stands for", async (locator, healed) => {
    const result = await healDom({ selector: locator, dom: NEW, previousDom: OLD });
    expect(result.healed).toBe(true);
    expect(result.selector).toBe(healed);
  });
});
