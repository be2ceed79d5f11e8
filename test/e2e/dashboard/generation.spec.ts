import { expect, test } from "@playwright/test";
import { go, signUpInProject, snapshot } from "./helpers.ts";
import { groceriesExploration } from "./seed.ts";

// Each test signs up and makes a few API calls: slow on a shared two-core machine.
test.describe.configure({ timeout: 180_000 });

test("test generation: a generation made through the API is listed, with figures and highlighted files", async ({
  page,
  request,
}) => {
  const { errors, projectId, call } = await signUpInProject(page, request, "Gene Rator");

  await go(page, "Test generation");
  await expect(page.getByText("No generations yet")).toBeVisible();
  // The start panel names this project in the commands it offers.
  await expect(page.getByTestId("start-commands")).toContainText(`export SHIFTY_PROJECT_ID=${projectId}`);
  await expect(page.getByTestId("start-commands")).toContainText("shifty generate <app-url> --out");

  const job = await call<{ id: string }>("POST", `/v1/projects/${projectId}/generations`, {
    json: { exploration: await groceriesExploration(), maxTests: 5 },
  });
  await page.reload();
  const table = page.getByRole("table", { name: "Generations, newest first" });
  const row = table.getByRole("row").filter({ hasText: "App exploration" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("http://127.0.0.1:4000/");
  await expect(row).toContainText("succeeded");
  await expect(row.getByRole("cell").nth(2)).toHaveText("1"); // tests
  await expect(row.getByRole("cell").nth(3)).toHaveText("2"); // assertions

  await row.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/generations/${job.id}$`));
  const figures = page.getByTestId("generation-figures");
  const expected: [string, string][] = [
    ["Pages", "1"],
    ["Interactions", "1"],
    ["Tests", "1"],
    ["Assertions", "2"],
  ];
  for (const [label, value] of expected) {
    await expect(figures.getByText(label, { exact: true }).locator("xpath=following-sibling::dd")).toHaveText(
      value,
    );
  }

  const spec = page.getByRole("region", { name: "Contents of home.spec.ts" });
  await expect(spec).toContainText('getByPlaceholder("Add an item", { exact: true }).fill("Buy milk")');
  // Syntax colours: keywords, strings and the intent comment each sit in their own token.
  await expect(spec.locator(".tok-keyword", { hasText: /^await$/ }).first()).toBeVisible();
  await expect(spec.locator(".tok-string", { hasText: '"Buy milk"' })).toHaveCount(1);
  await expect(spec.locator(".tok-comment").first()).toHaveText(/^\/\//);
  const keywordColour = await spec
    .locator(".tok-keyword")
    .first()
    .evaluate((el) => getComputedStyle(el).color);
  const plainColour = await spec.locator("code").evaluate((el) => getComputedStyle(el).color);
  expect(keywordColour).not.toBe(plainColour);

  // Download hands over the file as it is.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download home.spec.ts" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("home.spec.ts");
  const stream = await download.createReadStream();
  let text = "";
  for await (const chunk of stream) text += chunk;
  expect(text).toContain('import { expect, test } from "@playwright/test";');
  await expect(page.getByRole("region", { name: "Contents of playwright.config.ts" })).toContainText(
    "BASE_URL",
  );
  await snapshot(page, "generation-detail");
  expect(errors).toEqual([]);
});

test("test generation: a manual session's steps become a generation from the start panel", async ({
  page,
  request,
}) => {
  const { errors, projectId, call } = await signUpInProject(page, request, "Sess Ion");
  const session = await call<{ id: string }>("POST", `/v1/projects/${projectId}/sessions`, {
    json: { title: "Add to cart", charter: "Adding items", environment: "local", timeboxMinutes: 30 },
  });
  const url = "http://127.0.0.1:4173/shop.html";
  for (const frame of [
    { type: "step", action: "navigate", url },
    { type: "step", action: "click", target: { role: "button", accessibleName: "Add to cart" }, url },
    { type: "note", text: "expect: cart shows 1 item" },
  ])
    await call("POST", `/v1/sessions/${session.id}/events`, { json: frame });

  await go(page, "Test generation");
  await page.getByLabel("Session", { exact: true }).selectOption(session.id);
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(page).toHaveURL(/\/generations\/gen_[0-9a-z]+$/);
  await expect(page.getByText(/^Manual session \(the session\) of /)).toBeVisible();
  await expect(page.getByRole("link", { name: "the session" })).toHaveAttribute(
    "href",
    new RegExp(`/sessions/${session.id}$`),
  );
  const spec = page.locator("[data-testid=code-file]").first();
  await expect(spec).toContainText('getByRole("button", { name: "Add to cart"');
  await expect(spec.locator(".tok-keyword").first()).toBeVisible();

  // Back on the list it is the newest generation, marked as coming from a session.
  await page.getByRole("link", { name: "Generations" }).click();
  const row = page.getByRole("table", { name: "Generations, newest first" }).getByRole("row").nth(1);
  await expect(row).toContainText("Manual session");
  expect(errors).toEqual([]);
});
