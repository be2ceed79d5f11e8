import { expect, test } from "@playwright/test";

// The local server has no mail provider (docs/email.md): the pages must say so plainly, and a link
// that is not (or no longer) valid must be refused in words, not with a broken page.

test("the reset-password page is reachable from sign-in and says when no mail provider is configured", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/reset-password$/);
  await expect(page.getByRole("heading", { level: 1, name: "Reset your password" })).toBeVisible();
  await page.getByLabel("Email").fill("someone@e2e.shifty.test");
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("alert")).toContainText("mail provider");
});

test("a used or unknown sign-up link and reset link are refused in words", async ({ page }) => {
  await page.goto(`/signup/verify?token=sup_${"A".repeat(40)}`);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("alert")).toContainText("sign up again");

  await page.goto(`/reset-password?token=pwr_${"B".repeat(40)}`);
  await page.getByLabel("New password").fill("a long new password");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByRole("alert")).toContainText("already used or expired");
});
