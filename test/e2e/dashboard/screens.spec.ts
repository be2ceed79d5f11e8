import { expect, test } from "@playwright/test";
import { go, newAccount, signUp, signUpNew, snapshot, watchConsole } from "./helpers.ts";

test("the main screens render without console errors, by mouse and by keyboard", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto("/");
  await snapshot(page, "sign-in");
  await signUp(page, newAccount("Grace Screens"));

  // The new organisation comes with a first project, which the switcher picks.
  await expect(page.getByLabel("Project", { exact: true })).toHaveValue(/^prj_/);
  await expect(page.getByRole("heading", { name: "New session" })).toBeVisible();
  await snapshot(page, "sessions-empty");

  for (const screen of ["API keys", "Members", "Audit log", "Usage", "Sessions"]) await go(page, screen);

  await go(page, "Members");
  await expect(page.getByRole("list", { name: "Members" })).toContainText("Grace Screens");
  await expect(page.getByRole("list", { name: "Members" })).toContainText("owner");
  await snapshot(page, "members");

  await go(page, "Usage");
  await expect(page.getByRole("meter").first()).toBeAttached();
  await expect(page.getByText("API requests")).toBeVisible();
  await snapshot(page, "usage");

  // A new project from the switcher becomes the current one.
  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  // The dialog opens with its first field focused: type straight away.
  await expect(dialog.getByLabel("Name")).toBeFocused();
  await page.keyboard.type("Checkout revamp");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel("Project", { exact: true }).locator("option:checked")).toHaveText(
    "Checkout revamp",
  );

  // Keyboard: skip link first, then the navigation works with Enter.
  await page.goto("/keys");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Audit log" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveAttribute("aria-current", "page");

  // Narrow screens: the sidebar folds into a top bar and nothing overflows sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await go(page, "Sessions");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snapshot(page, "sessions-mobile");
  await page.setViewportSize({ width: 1280, height: 720 });

  // An unknown path inside the app is a friendly page, not a blank one.
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();

  expect(errors).toEqual([]);
});

test("an invalid form is refused by the server with field errors shown (problem+json)", async ({ page }) => {
  const { errors } = await signUpNew(page, "Linus Forms");
  await go(page, "Members");
  // The browser accepts this address; the API's stricter validation refuses it with a 400.
  await page.getByLabel("Email").fill("someone@localhost");
  await page.getByRole("button", { name: "Send invite" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("email");
  expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
});
