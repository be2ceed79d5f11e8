import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { apiAs, expectPhoneFriendly, go, signUpNew } from "./helpers.ts";

// The Security screen's data lifecycle (docs/data-lifecycle.md): export and download the organisation's
// data, delete it with its typed name and the password, then restore it from the deleted list.
const timeout = 30_000;

test("data lifecycle: export and download, delete then restore an organisation", async ({ page }) => {
  test.setTimeout(180_000);
  const { errors, account } = await signUpNew(page, "Dana Danger");
  const { call, orgId } = await apiAs(page, page.request);
  // A second organisation to land in once the first is deleted.
  await call("POST", "/v1/orgs", { json: { name: `Harbour ${account.orgName}` } });

  await go(page, "Security");
  const exports = page.getByRole("region", { name: "Export this organisation’s data" });
  await exports.getByRole("button", { name: "Start export" }).click();
  const list = exports.getByRole("list", { name: "Exports" });
  await expect(list).toContainText("Ready", { timeout });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    list
      .getByRole("button", { name: /^Download/ })
      .first()
      .click(),
  ]);
  const file = JSON.parse(await readFile((await download.path())!, "utf8")) as {
    format: string;
    orgId: string;
    tables: Record<string, { name?: string; email?: string }[]>;
  };
  expect(file).toMatchObject({ format: "shifty.org-export", orgId });
  expect(file.tables.organizations?.[0]?.name).toBe(account.orgName);
  expect(file.tables.memberships?.map((m) => m.email)).toEqual([account.email]);

  const danger = page.getByRole("region", { name: "Delete this organisation" });
  const confirm = danger.getByRole("button", { name: "Delete organisation" });
  await danger.getByLabel(/to confirm/).fill("not the name");
  await danger.getByLabel("Your password").fill(account.password);
  await expect(confirm).toBeDisabled();
  await danger.getByLabel(/to confirm/).fill(account.orgName);
  await confirm.click();

  // Moved to the other organisation, where the deleted one waits to be restored.
  const organisation = page.getByLabel("Organisation", { exact: true });
  await expect(organisation).not.toHaveValue(orgId, { timeout });
  const deleted = page.getByRole("region", { name: "Deleted organisations" });
  await expect(deleted).toContainText(account.orgName, { timeout });

  // The screen with every part of the danger zone on it, at a phone's width.
  await expect(page.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();
  await expectPhoneFriendly(page);

  await deleted.getByRole("button", { name: `Restore ${account.orgName}` }).click();
  await expect(organisation).toHaveValue(orgId, { timeout });
  await expect(page.getByRole("region", { name: "Delete this organisation" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Deleted organisations" })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("data lifecycle: deleting your only organisation leaves a plain state to restore it from", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { errors, account } = await signUpNew(page, "Olle Only");
  const { orgId } = await apiAs(page, page.request);

  // Right after sign-up the shell may still settle its URL (org and project); retry the click until it lands.
  await expect(() => go(page, "Security")).toPass({ timeout });
  const danger = page.getByRole("region", { name: "Delete this organisation" });
  await danger.getByLabel(/to confirm/).fill(account.orgName);
  await danger.getByLabel("Your password").fill(account.password);
  await danger.getByRole("button", { name: "Delete organisation" }).click();

  // No other organisation to move to: one plain statement, the deleted one listed, nothing of the old org.
  const none = page.getByRole("region", { name: "You belong to no organisation now" });
  await expect(none).toContainText(account.orgName, { timeout });
  await expect(page.getByRole("region", { name: "Export this organisation’s data" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Delete this organisation" })).toHaveCount(0);
  await expect(page.getByRole("alert")).toHaveCount(0);
  const deleted = page.getByRole("region", { name: "Deleted organisations" });
  await expect(deleted).toContainText(account.orgName, { timeout });

  await deleted.getByRole("button", { name: `Restore ${account.orgName}` }).click();
  await expect(page.getByLabel("Organisation", { exact: true })).toHaveValue(orgId, { timeout });
  await expect(page.getByRole("region", { name: "Delete this organisation" })).toBeVisible({ timeout });
  await expect(none).toHaveCount(0);
  expect(errors).toEqual([]);
});
