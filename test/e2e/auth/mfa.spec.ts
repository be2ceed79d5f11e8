import { expect, type Page, test } from "@playwright/test";
import { base32Decode, hotp, totpStep } from "../../../shared/auth/totp.ts";
import { go, newAccount, signUp } from "../dashboard/helpers.ts";

/** What the authenticator app would show `steps` periods from now (the server accepts ±1 step). */
const codeFor = (secret: string, steps = 0) => hotp(base32Decode(secret)!, totpStep(Date.now()) + steps);

// Enrolment and three sign-ins on two loaded cores take longer than the default.
test.setTimeout(180_000);

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
}

test("enrol TOTP on the Security screen, then sign in with a code and with a recovery code", async ({
  page,
}) => {
  const account = newAccount("Mfa");
  await signUp(page, account);
  await go(page, "Security");
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("First code from the app").fill(await codeFor(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recovery = ((await codes.first().textContent()) ?? "").trim();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText("10 recovery codes left")).toBeVisible();

  // The password alone is no longer enough: the second-factor prompt asks for the next code.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signInWithPassword(page, account.email, account.password);
  await page.getByLabel("Code from your authenticator app").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toContainText("wrong");
  await page.getByLabel("Code from your authenticator app").fill(await codeFor(secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await signInWithPassword(page, account.email, account.password);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recovery);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await go(page, "Security");
  await expect(page.getByText("9 recovery codes left")).toBeVisible();
});
