import { createHmac, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { go, signUpNew, snapshot } from "./helpers.ts";

test("integrations: a source's URL and secret shown once, a signed GitHub event arrives and is replayed; endpoints", async ({
  page,
  request,
}) => {
  const { errors } = await signUpNew(page, "Radia Hooks", { acceptDialogs: true });
  await go(page, "Integrations");
  await expect(page.getByText("No events match")).toBeVisible();
  const sub = page.getByRole("navigation", { name: "Integration pages" });

  // A GitHub source: URL and secret are shown once, with copy buttons.
  await sub.getByRole("link", { name: "Inbound sources" }).click();
  await page.getByLabel("Provider").selectOption("github");
  await page.getByLabel("Source name").fill("shop repository");
  await page.getByLabel("Environment").selectOption("stg");
  await page.getByRole("button", { name: "Create source" }).click();
  const url = await page.getByTestId("source-url").inputValue();
  const secret = await page.getByTestId("source-secret").inputValue();
  expect(url).toMatch(/\/hooks\/src_[0-9a-z]{26}$/);
  expect(secret.length).toBeGreaterThanOrEqual(16);
  await expect(page.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await expect(page.getByText("it is shown only once")).toBeVisible();
  await expect(page.getByRole("table", { name: "Inbound sources" })).toContainText("shop repository");
  await snapshot(page, "integrations-source-created");
  await page.getByRole("button", { name: "Done" }).click();
  await page.reload();
  expect(await page.content()).not.toContain(secret);

  // GitHub delivers a push, signed with the secret (X-Hub-Signature-256).
  const body = JSON.stringify({
    ref: "refs/heads/main",
    after: "a1b2c3d4e5f6",
    repository: { full_name: "acme/shop" },
  });
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const delivered = await request.post(new URL(url).pathname, {
    headers: {
      "Content-Type": "application/json",
      "X-GitHub-Event": "push",
      "X-GitHub-Delivery": randomUUID(),
      "X-Hub-Signature-256": signature,
    },
    data: body,
  });
  expect(delivered.status()).toBe(202);

  // It is listed, filterable, and processed by the queue.
  await sub.getByRole("link", { name: "Events" }).click();
  const events = page.getByRole("table", { name: "Webhook events, newest first" });
  await expect(events.getByRole("row")).toHaveCount(2);
  await expect(events).toContainText("push");
  // Shifty's own events (shifty.gate.failed, …) have a provider of their own in the filter too.
  await expect(page.getByLabel("Provider").locator('option[value="shifty"]')).toHaveCount(1);
  await page.getByLabel("Provider").selectOption("jira");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No events match")).toBeVisible();
  await page.getByLabel("Provider").selectOption("github");
  await page.getByLabel("Environment").selectOption("stg");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(events.getByRole("row")).toHaveCount(2);
  await expect
    .poll(
      async () => {
        await page.getByRole("button", { name: "Apply" }).click();
        return events.getByRole("row").nth(1).textContent();
      },
      { timeout: 20_000 },
    )
    .toContain("processed");
  await snapshot(page, "integrations-events");

  // The event itself: attempts, then a replay from its page.
  await events.getByRole("row").nth(1).getByRole("link").click();
  await expect(page.getByTestId("event-status")).toHaveText("processed");
  await expect(page.getByTestId("attempts")).toContainText("processed succeeded");
  await page.getByRole("button", { name: "Replay", exact: true }).click();
  await expect(page.getByTestId("replay-message")).toHaveText("Queued again as replay 1.");
  await expect(page.getByText("replay 1", { exact: true })).toBeVisible();
  await snapshot(page, "integrations-event");

  // Bulk replay of processed github events.
  await sub.getByRole("link", { name: "Events" }).click();
  await page.getByLabel("Status").selectOption("processed");
  await page.getByRole("button", { name: "Apply" }).click();
  // Wait for the replayed event to be processed again: a row count alone can be read from the list
  // shown before the filter's answer arrives, and then the bulk replay would match nothing.
  await expect
    .poll(
      async () => {
        await page.getByRole("button", { name: "Apply" }).click();
        return (await events.getByRole("row").allTextContents()).slice(1);
      },
      { timeout: 20_000 },
    )
    .toEqual([expect.stringContaining("processed")]);
  await page.getByRole("button", { name: "Replay all processed matching" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 event queued again." })).toBeVisible();

  // The dead-letter list is empty: nothing has exhausted its retries.
  await sub.getByRole("link", { name: "Dead letters" }).click();
  await expect(page.getByText("No dead letters")).toBeVisible();

  // An outbound endpoint: secret shown once, disable and enable, rotate, delete.
  await sub.getByRole("link", { name: "Outbound endpoints" }).click();
  const endpointUrl = "https://hooks.example.com/shifty";
  await page.getByLabel("Endpoint URL").fill(endpointUrl);
  await page.getByLabel("Event types").fill("jira.*, sentry.*");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const first = await page.getByTestId("endpoint-secret").inputValue();
  expect(first).toMatch(/^whsec_/);
  const table = page.getByRole("table", { name: "Outbound endpoints" });
  await expect(table).toContainText("jira.*");
  await page.getByRole("button", { name: `Disable ${endpointUrl}` }).click();
  await expect(table.getByText("disabled", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: `Enable ${endpointUrl}` }).click();
  await expect(table.getByText("active", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: `Rotate secret of ${endpointUrl}` }).click();
  await expect(page.getByText("New signing secret")).toBeVisible();
  const rotated = await page.getByTestId("endpoint-secret").inputValue();
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(first);
  await snapshot(page, "integrations-endpoints");
  await page.getByRole("button", { name: `Delete ${endpointUrl}` }).click();
  await expect(page.getByText("No outbound endpoints yet")).toBeVisible();

  expect(errors).toEqual([]);
});
