import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { go, signUpNew, snapshot, submitSignIn, watchConsole } from "./helpers.ts";

test.describe("API keys and the audit log", () => {
  test("sign up, create a key shown once, use it, revoke it; the audit log shows it all and exports CSV", async ({
    page,
    request,
  }) => {
    const { errors } = await signUpNew(page, "Ada Keys", { acceptDialogs: true });
    await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();

    await go(page, "API keys");
    await expect(page.getByText("No API keys yet")).toBeVisible();
    await page.getByLabel("Key name").fill("CI on main");
    await page.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByTestId("new-api-key");
    await expect(shown).toHaveValue(/^shf_[A-Za-z0-9_]{20,}$/);
    const key = await shown.inputValue();
    await expect(page.getByText("it is shown only once")).toBeVisible();
    const row = page.getByRole("row", { name: /CI on main/ });
    await expect(row.getByText("active")).toBeVisible();
    await snapshot(page, "api-keys");

    // The key works against the real API…
    const before = await request.get("/v1/projects", { headers: { Authorization: `Bearer ${key}` } });
    expect(before.status()).toBe(200);

    // …and is never shown again: gone after "Done" and after a reload.
    await page.getByRole("button", { name: "Done" }).click();
    await expect(shown).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("row", { name: /CI on main/ })).toBeVisible();
    expect(await page.content()).not.toContain(key);
    await expect(page.getByRole("row", { name: /CI on main/ }).getByText(key.slice(0, 10))).toBeVisible();

    await page.getByRole("button", { name: "Revoke CI on main" }).click();
    await expect(page.getByRole("row", { name: /CI on main/ }).getByText("revoked")).toBeVisible();
    await expect(page.getByRole("button", { name: "Revoke CI on main" })).toHaveCount(0);
    const after = await request.get("/v1/projects", { headers: { Authorization: `Bearer ${key}` } });
    expect(after.status()).toBe(401);
    expect(after.headers()["content-type"]).toContain("application/problem+json");

    // The audit log lists what just happened, newest first, and its hash chain verifies.
    await go(page, "Audit log");
    const table = page.getByRole("table", { name: /Audit entries/ });
    await expect(table.getByText("api_key.revoke")).toBeVisible();
    await expect(table.getByText("api_key.create")).toBeVisible();
    await expect(table.getByText("org.create")).toBeVisible();
    await expect(page.getByTestId("audit-verdict")).toContainText("Chain intact");
    const actions = await table.locator(".action-chip").allTextContents();
    expect(actions.indexOf("api_key.revoke")).toBeLessThan(actions.indexOf("api_key.create"));
    await snapshot(page, "audit");

    // Filtering by an action prefix narrows the list.
    await page.getByLabel("Action").fill("api_key.*");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(table.getByText("org.create")).toHaveCount(0);
    await expect(table.locator(".action-chip")).toHaveText(["api_key.revoke", "api_key.create"]);

    // CSV export downloads a file with the filtered rows.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-org_[0-9a-z]{26}\.csv$/);
    const csv = await readFile(await download.path(), "utf8");
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).toBe(
      "createdAt,seq,actorType,actorId,action,targetType,targetId,ip,userAgent,requestId,changes,hash",
    );
    expect(lines.slice(1).map((l) => l.split(",")[4])).toEqual(["api_key.revoke", "api_key.create"]);

    expect(errors).toEqual([]);
  });

  test("a wrong password is refused with a readable message", async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto("/");
    await submitSignIn(page, { email: "nobody@e2e.shifty.test", password: "not-the-password" });
    await expect(page.getByRole("alert")).toContainText("Email or password is wrong");
    // The 401 itself is the only console line (Chromium logs failed responses); no exceptions.
    expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
  });
});
