import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { apiAs, expectPhoneFriendly, go, newAccount, signUp, watchConsole } from "./helpers.ts";

// The Security screen's data lifecycle (docs/data-lifecycle.md): export and download the organisation's
// data, delete it with its typed name and the password, then restore it from the deleted list.
const timeout = 30_000;

test("data lifecycle: export and download, delete then restore an organisation", async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  const account = newAccount("Dana Danger");
  await signUp(page, account);
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
