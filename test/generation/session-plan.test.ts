// The session → spec planner: steps, expectation notes and findings → exact spec lines.
import { describe, expect, it } from "vitest";
import type { RoomEvent } from "../../shared/contract/room.ts";
import {
  locatorFromTarget,
  parseExpectation,
  planSession,
  relativeUrl,
} from "../../shared/generation/session-plan.ts";
import { renderSessionSpec, sessionLine } from "../../shared/generation/session-render.ts";

let seq = 0;
const at0 = 1_764_000_000_000;
function ev(kind: RoomEvent["kind"], data: Record<string, unknown>, at = at0 + seq * 1000): RoomEvent {
  seq++;
  return { type: "event", seq, kind, actor: { id: "usr_1", name: "Ada" }, at, data };
}
const session = {
  title: "Checkout with two items",
  charter: "Explore the cart",
  url: "https://shop.example/",
};
const origin = "http://127.0.0.1:4000";

function shopTimeline(): RoomEvent[] {
  seq = 0;
  return [
    ev("step", { action: "navigate", url: `${origin}/shop.html` }),
    ev("step", {
      action: "fill",
      target: { role: "textbox", accessibleName: "Email", label: "Email", selector: "#email" },
      value: "ada@example.com",
      url: `${origin}/shop.html`,
    }),
    ev("step", {
      action: "click",
      target: { role: "button", accessibleName: "Add to cart", testId: "add", selector: "#add" },
      url: `${origin}/shop.html`,
    }),
    ev("note", { text: "expect: cart shows 1 item" }),
    ev("step", {
      action: "click",
      target: { role: "button", accessibleName: "Add to cart", selector: "#add" },
      url: `${origin}/shop.html`,
    }),
    ev("note", { text: 'expect: "2 items" is visible' }),
    ev("note", { text: "this page is slow" }),
    ev("step", {
      action: "press",
      target: { placeholder: "Search" },
      value: "Enter",
      url: `${origin}/shop.html`,
    }),
    ev("step", {
      action: "click",
      target: { role: "link", accessibleName: "Cart" },
      url: `${origin}/shop.html`,
    }),
    ev("step", { action: "navigate", url: `${origin}/shop.html#/cart` }),
    ev("finding", {
      severity: "major",
      title: 'Total reads "£0" instead of "£20"',
      findingId: "fnd_1",
      stepSeqs: [],
    }),
    ev("finding", {
      severity: "minor",
      title: 'Banner says "Free shipping"',
      findingId: "fnd_2",
      stepSeqs: [],
    }),
    ev("step", { action: "navigate", url: `${origin}/about.html` }, at0 + 60_000 * 10),
  ];
}

describe("session → spec", () => {
  it("turns steps into actions on user-facing locators and navigations into relative gotos", () => {
    const plan = planSession(session, shopTimeline());
    const spec = renderSessionSpec(plan, "ses_x");
    const lines = spec.split("\n").map((l) => l.trim());
    expect(lines).toContain('import { expect, test } from "@playwright/test";');
    expect(lines).toContain("// Explore the cart");
    expect(lines).toContain('test("Checkout with two items", async ({ page }) => {');
    const body = lines.slice(lines.indexOf('test("Checkout with two items", async ({ page }) => {') + 1);
    expect(body).toEqual([
      'await page.goto("/shop.html");',
      'await page.getByRole("textbox", { name: "Email", exact: true }).fill("ada@example.com");',
      'await page.getByRole("button", { name: "Add to cart", exact: true }).click();',
      "// Note #4: expect: cart shows 1 item",
      // "cart" is no test id of a touched element (the Cart link's name does not count): text on the page.
      'await expect(page.getByText("1 item").first()).toBeVisible();',
      'await page.getByRole("button", { name: "Add to cart", exact: true }).click();',
      '// Note #6: expect: "2 items" is visible',
      'await expect(page.getByText("2 items").first()).toBeVisible();',
      'await page.getByPlaceholder("Search", { exact: true }).press("Enter");',
      'await page.getByRole("link", { name: "Cart", exact: true }).click();',
      "await expect(page).toHaveURL(/\\/shop\\.html#\\/cart$/);",
      '// Finding #11 (major): Total reads "£0" instead of "£20"',
      'await expect(page.getByText("£20").first()).toBeVisible();',
      '// Finding #12 (minor): Banner says "Free shipping"',
      'await expect(page.getByText("Free shipping").first()).toBeVisible();',
      'await page.goto("/about.html");',
      "});",
      "",
    ]);
    expect(spec).not.toMatch(/waitForTimeout|127\.0\.0\.1:4000\/|shop\.example/);
    expect(plan.file).toBe("session-checkout-with-two-items.spec.ts");
    expect(plan.appUrl).toBe(`${origin}/`);
    expect(plan.figures).toEqual({ pages: 2, interactions: 8, tests: 1, assertions: 5 });
  });

  it("resolves a note's subject to an element the session touched", () => {
    seq = 0;
    const events = [
      ev("step", { action: "click", target: { testId: "cart-count", text: "0" }, url: `${origin}/` }),
      ev("note", { text: "Expect: cart-count has text 2" }),
      ev("note", { text: "expect: the cart-count shows “2”." }),
      ev("note", { text: "expect: url is /done" }),
      ev("note", { text: 'expect: no "Loading…"' }),
      ev("note", { text: "expect: Spinner is hidden" }),
    ];
    const lines = renderSessionSpec(planSession(session, events), "ses_x")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("await"));
    expect(lines).toEqual([
      'await page.goto("/");',
      'await page.getByTestId("cart-count").click();',
      'await expect(page.getByTestId("cart-count")).toHaveText("2");',
      'await expect(page.getByTestId("cart-count")).toContainText("2");',
      "await expect(page).toHaveURL(/\\/done$/);",
      'await expect(page.getByText("Loading…")).toBeHidden();',
      'await expect(page.getByText("Spinner")).toBeHidden();',
    ]);
  });

  it("falls back to the selector, then skips targets it cannot describe, with a comment", () => {
    expect(locatorFromTarget("#buy")).toEqual({ by: "css", selector: "#buy" });
    expect(locatorFromTarget({ tag: "div", selector: "div.card > button" })).toEqual({
      by: "css",
      selector: "div.card > button",
    });
    expect(locatorFromTarget({ xpath: "/html/body/div[2]" })).toEqual({
      by: "css",
      selector: "xpath=/html/body/div[2]",
    });
    expect(locatorFromTarget({ attributes: { "data-testid": "buy" } })).toEqual({
      by: "testid",
      name: "buy",
    });
    expect(locatorFromTarget({ tag: "div", rect: { x: 1, y: 2, width: 3, height: 4 } })).toBeNull();
    expect(locatorFromTarget(42)).toBeNull();

    seq = 0;
    const events = [
      ev("step", { action: "click", target: "#buy", url: "/" }),
      ev("step", { action: "click", target: { tag: "div", rect: { x: 1, y: 2, width: 3, height: 4 } } }),
      ev("step", { action: "hover", target: "#menu" }),
      ev("step", { action: "press", value: "Escape" }),
      ev("step", { action: "select", target: { label: "Size" }, value: "Large" }),
      ev("step", { action: "check", target: { role: "checkbox", accessibleName: "Gift wrap" } }),
    ];
    const body = renderSessionSpec(planSession({ ...session, url: null }, events), "ses_x");
    expect(body).toContain('await page.goto("/");\n  await page.locator("#buy").click();');
    expect(body).toContain("// Step #2: click on an element the session did not describe (skipped)");
    expect(body).toContain('// Step #3: "hover" is not an action Playwright can replay (skipped)');
    expect(body).toContain('await page.keyboard.press("Escape");');
    expect(body).toContain(
      'await page.getByLabel("Size", { exact: true }).selectOption({ label: "Large" });',
    );
    expect(body).toContain('await page.getByRole("checkbox", { name: "Gift wrap", exact: true }).check();');
  });

  it("keeps user text inside comments on one line", () => {
    seq = 0;
    const events = [
      ev("step", { action: "click", target: "#a", url: "https://x.test/" }),
      ev("finding", { severity: "minor", title: "Broken\n});\nprocess.exit(1)", stepSeqs: [] }),
    ];
    const spec = renderSessionSpec(planSession(session, events), "ses_x");
    expect(spec).toContain("// Finding #2 (minor): Broken }); process.exit(1)");
    expect(spec).not.toMatch(/^process/m);
  });

  it("reads the expectation grammar and refuses what it does not follow", () => {
    const none = () => null;
    expect(parseExpectation("expect: shows Welcome back", none, null)).toEqual({
      op: "expect-visible",
      text: "Welcome back",
    });
    expect(parseExpectation("assert: url ends with https://a.test/x?y=1", none, "https://a.test")).toEqual({
      op: "expect-url",
      url: "/x?y=1",
    });
    expect(parseExpectation("the cart looks odd", none, null)).toBeNull();
    expect(parseExpectation("expect: something odd", none, null)).toBeNull();
    expect(sessionLine({ op: "expect-visible", text: 'say "hi"' })).toBe(
      'await expect(page.getByText("say \\"hi\\"").first()).toBeVisible();',
    );
    expect(relativeUrl("https://other.test/a", "https://a.test")).toBe("https://other.test/a");
    expect(relativeUrl("https://a.test/a#b", "https://a.test")).toBe("/a#b");
  });
});
