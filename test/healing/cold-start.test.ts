import { describe, expect, it } from "vitest";
import { targetFromSelector } from "../../shared/healing/cold-start.ts";

describe("targetFromSelector", () => {
  it.each([
    ["#save-btn", { tag: "", attributes: { id: "save-btn" } }],
    [
      "form > button.btn.primary[type='submit']",
      { tag: "button", attributes: { class: "btn primary", type: "submit" } },
    ],
    ["input[name=email]", { tag: "input", attributes: { name: "email" } }],
    ["//button[@id='x']", { tag: "button", attributes: { id: "x" } }],
    ["//div[@class='nav']//a[contains(text(),'Home')]", { tag: "a", attributes: {}, text: "Home" }],
    ["//span[text()='Total']", { tag: "span", attributes: {}, text: "Total" }],
    [
      "getByRole('button', { name: 'Save' })",
      { tag: "", attributes: {}, role: "button", accessibleName: "Save" },
    ],
    ['page.getByText("Sign in")', { tag: "", attributes: {}, text: "Sign in" }],
    ["getByTestId('checkout')", { tag: "", attributes: { "data-testid": "checkout" } }],
    ["getByLabel('Email')", { tag: "", attributes: {}, accessibleName: "Email" }],
    ["getByPlaceholder('Search')", { tag: "", attributes: { placeholder: "Search" } }],
    ['role=button[name="Save"]', { tag: "", attributes: {}, role: "button", accessibleName: "Save" }],
    ["text=Continue", { tag: "", attributes: {}, text: "Continue" }],
    ["data-testid=cart", { tag: "", attributes: { "data-testid": "cart" } }],
    ["locator('#menu')", { tag: "", attributes: { id: "menu" } }],
    // Playwright's internal engines, as its traces and error messages print getBy* locators.
    [
      'internal:role=button[name="Save changes"i]',
      { tag: "", attributes: {}, role: "button", accessibleName: "Save changes" },
    ],
    ['internal:text="Sign in"s', { tag: "", attributes: {}, text: "Sign in" }],
    ['internal:text="Say \\"hi\\""i', { tag: "", attributes: {}, text: 'Say "hi"' }],
    ['internal:label="Email"i', { tag: "", attributes: {}, accessibleName: "Email" }],
    ['internal:testid=[data-testid="cart"s]', { tag: "", attributes: { "data-testid": "cart" } }],
    ['internal:attr=[placeholder="Search"i]', { tag: "", attributes: { placeholder: "Search" } }],
    ["page.locator('internal:text=\"Continue\"i')", { tag: "", attributes: {}, text: "Continue" }],
    // Chains: the last step names the element; has-text filters after it give its text.
    [
      "page.getByRole('dialog').getByRole('button', { name: 'OK' })",
      { tag: "", attributes: {}, role: "button", accessibleName: "OK" },
    ],
    [
      'internal:role=dialog >> internal:role=button[name="OK"i] >> nth=0',
      { tag: "", attributes: {}, role: "button", accessibleName: "OK" },
    ],
    ["page.locator('li').filter({ hasText: 'Beta' })", { tag: "li", attributes: {}, text: "Beta" }],
    [
      "page.getByRole('listitem').filter({ hasText: 'Beta' }).getByRole('button')",
      { tag: "", attributes: {}, role: "button" },
    ],
    [
      "page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Product 2' }) })",
      { tag: "", attributes: {}, role: "listitem" },
    ],
    // A locator inside other code is read from its last getBy* call.
    [
      "await expect(page.getByRole('dialog').getByText('Saved', { exact: true })).toBeVisible();",
      { tag: "", attributes: {}, text: "Saved" },
    ],
    // Regexes are read as the words they look for.
    [
      "getByRole('button', { name: /^sign\\s*in$/i })",
      { tag: "", attributes: {}, role: "button", accessibleName: "sign in" },
    ],
    ["getByText(/save (all|some) changes?/)", { tag: "", attributes: {}, text: "save all changes" }],
    ["getByLabel(/e-?mail|login/i)", { tag: "", attributes: {}, accessibleName: "e-mail" }],
    ["getByText(/^\\$\\d+\\.00 \\(incl\\. VAT\\)$/)", { tag: "", attributes: {}, text: "$.00 (incl. VAT)" }],
  ])("%s", (selector, expected) => {
    expect(targetFromSelector(selector)).toEqual(expected);
  });

  it("returns null when nothing can be learned", () => {
    expect(targetFromSelector("")).toBeNull();
    expect(targetFromSelector("   ")).toBeNull();
    expect(targetFromSelector(">>>")).toBeNull();
  });
});
