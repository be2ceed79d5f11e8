// A small Playwright suite against the demo shop, using CSS, text and test-id locators. It passes on the
// v1 markup; on v2 (ids and classes renamed, elements wrapped, text reworded, a link turned into a button)
// it only passes when the Shifty fixture heals the broken locators. Assertions are never healed.
import { expect, test } from "./fixture.ts";

test.beforeEach(async ({ page }) => {
  await page.goto("index.html");
});

test("signs in (CSS locators)", async ({ page }) => {
  await page.locator("#email").fill("ada@example.com");
  await page.locator("#password").fill("correct horse");
  await page.locator("#login-btn").click();
  await expect(page.getByTestId("welcome")).toHaveText("Welcome back, ada@example.com");
});

test("adds to the cart (text locator)", async ({ page }) => {
  await page.getByText("Add to cart").click();
  await expect(page.getByTestId("cart-count")).toHaveText("1");
});

test("subscribes to the newsletter (test-id locators)", async ({ page }) => {
  await page.getByTestId("newsletter-checkbox").check();
  await page.getByTestId("subscribe").click();
  await expect(page.getByTestId("subscribe-status")).toHaveText("Subscribed");
});

test("pings the widget inside a shadow root", async ({ page }) => {
  await page.locator(".ping-button").click();
  await expect(page.getByTestId("pong")).toHaveText("Pong");
});

test("opens help (a link that became a button)", async ({ page }) => {
  await page.locator("a.help-link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Help centre");
});
