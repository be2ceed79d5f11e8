import { expect, test } from "@playwright/test";
import { apiAs, expectPhoneFriendly, go, newAccount, signUp, submitSignIn, watchConsole } from "./helpers.ts";

// "Delete my account" on the Security screen (docs/data-lifecycle.md, "Delete a user account"): refused
// while the user is the last owner of a live organisation, then erasure ends the session for good.
const timeout = 30_000;

test("account erasure: 409 names the org alone owned; with a second owner the account goes", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  // The refused erasure (409) and the refused sign-in afterwards (401) are expected answers.
  const errors = watchConsole(page, { allowUrl: (url) => /\/v1\/(me|auth\/signin)$/.test(url) });
  const account = newAccount("Erin Erase");
  await signUp(page, account);
  await go(page, "Security");

  const mine = page.getByRole("region", { name: "Delete my account" });
  await expect(mine).toContainText("pseudonym");
  const erase = mine.getByRole("button", { name: "Delete my account" });
  await mine.getByLabel(/to confirm/).fill("someone.else@e2e.shifty.test");
  await mine.getByLabel("Your password").fill(account.password);
  await expect(erase).toBeDisabled();
  await expect(mine.getByLabel("Authenticator code")).toHaveCount(0);
  await mine.getByLabel(/to confirm/).fill(account.email);
  await erase.click();
  const refused = mine.getByRole("alert");
  await expect(refused).toContainText("You are the last owner of", { timeout });
  await expect(refused.getByRole("list", { name: "Organisations you alone own" })).toHaveText(
    account.orgName,
  );
  await expect(refused).toContainText("Transfer ownership or delete these organisations first.");

  // The refusal at a phone's width: no sideways overflow, no serious or critical axe violation.
  await expect(refused).toBeVisible();
  await expectPhoneFriendly(page);

  // Someone else made an owner too (the remedy the notice names): the account can go.
  const other = newAccount("Otto Owner");
  const signedUp = await request.post("/v1/auth/signup", {
    data: { email: other.email, password: other.password, name: other.name },
  });
  expect(signedUp.status()).toBe(201);
  const { token: otherToken } = (await signedUp.json()) as { token: string };
  const { call } = await apiAs(page, page.request);
  const invite = await call<{ token: string }>("POST", "/v1/invites", {
    json: { email: other.email, role: "owner" },
  });
  const accepted = await request.post("/v1/invites/accept", {
    headers: { Authorization: `Bearer ${otherToken}` },
    data: { token: invite.token },
  });
  expect(accepted.ok()).toBe(true);
  await erase.click();

  // Signed out, on the sign-in screen with a notice; the cookie no longer signs in.
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible({ timeout });
  await expect(page.getByRole("status")).toContainText("Your account was deleted");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible({ timeout });
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await submitSignIn(page, account);
  await expect(page.getByRole("alert")).toBeVisible({ timeout });
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  expect(errors).toEqual([]);
});
