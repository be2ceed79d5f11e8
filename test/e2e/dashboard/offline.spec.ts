import { expect, test } from "@playwright/test";
import { go, newAccount, openSubPage, signUp } from "./helpers.ts";

test("offline: one offline banner, a failed load says so with Retry and no empty state; Retry loads it once online", async ({
  page,
  context,
}) => {
  await signUp(page, newAccount("Olga Offline"));
  await go(page, "Integrations");
  await expect(page.getByText("No events match")).toBeVisible();
  await expect(page.getByTestId("offline-banner")).toHaveCount(0);

  await context.setOffline(true);
  await expect(page.getByTestId("offline-banner")).toContainText("You are offline");
  // A screen opened while offline cannot load: no "Something went wrong", no celebratory empty state.
  await openSubPage(page, "Integration pages", "Dead letters");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Shifty could not be reached");
  await expect(page.getByText("Something went wrong")).toHaveCount(0);
  await expect(page.getByText("No dead letters")).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Loading" })).toHaveCount(0);

  await context.setOffline(false);
  await expect(page.getByTestId("offline-banner")).toHaveCount(0);
  await alert.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByText("No dead letters")).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("loading shows skeleton lines, not a spinner", async ({ page }) => {
  await signUp(page, newAccount("Sam Skeleton"));
  // Hold the events list so the loading state stays on screen long enough to look at.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/v1/webhook-events?**", async (route) => {
    await held;
    await route.continue();
  });
  await go(page, "Integrations");
  const loading = page.getByRole("status").filter({ hasText: "Loading events" });
  await expect(loading).toBeVisible();
  await expect(loading.locator(".skeleton-line")).toHaveCount(3);
  await expect(page.locator(".spinner")).toHaveCount(0);
  release();
  await expect(page.getByText("No events match")).toBeVisible();
});
