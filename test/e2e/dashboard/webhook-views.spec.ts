import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { apiAs, go, openSubPage, postGithubPush, signUpNew } from "./helpers.ts";

test("webhook views: a failing endpoint's event says failing live, deliveries show HTTP status and body, endpoint page, full source URL", async ({
  page,
  request,
}) => {
  // A receiver that is down: every delivery gets a 503 with a body the dashboard must quote.
  const receiver = createServer((_req, res) => {
    res.writeHead(503, { "Content-Type": "text/plain" }).end("upstream down for maintenance");
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;
  try {
    const { errors } = await signUpNew(page, "Svea Hooks");
    const { call } = await apiAs(page, request);
    const source = await call<{ id: string; url: string; secret: string }>("POST", "/v1/webhook-sources", {
      json: { provider: "github", name: "shop repository" },
    });
    const endpoint = await call<{ id: string }>("POST", "/v1/webhook-endpoints", {
      json: {
        url: `http://127.0.0.1:${port}/hook`,
        eventTypes: ["github.*"],
        description: "Billing receiver",
      },
    });

    // The Events screen is open before the event arrives: it appears, then turns failing, without a reload.
    await go(page, "Integrations");
    await expect(page.getByText("No events match")).toBeVisible();
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => navigations.push(frame.url()));
    await postGithubPush(request, source);
    const events = page.getByRole("table", { name: "Webhook events, newest first" });
    await expect(events.getByRole("row")).toHaveCount(2, { timeout: 5_000 });
    await expect(events.getByRole("row").nth(1)).toContainText("failing", { timeout: 20_000 });
    await expect(events.getByRole("row").nth(1)).not.toContainText("processed");
    expect(navigations).toEqual([]);

    // The event: the endpoint by its name, the HTTP status and the response body.
    await events.getByRole("row").nth(1).getByRole("link").click();
    await expect(page.getByTestId("event-status")).toHaveText("failing");
    const deliveries = page.getByRole("table", { name: "Deliveries" });
    await expect(deliveries.getByRole("link", { name: "Billing receiver" })).toBeVisible();
    await expect(deliveries.getByTestId("delivery-http")).toHaveText("HTTP 503");
    await expect(deliveries).toContainText("upstream down for maintenance");
    await expect(page.getByText(endpoint.id)).toHaveCount(0);

    // The endpoint page: its deliveries and success rate (none finished yet: retrying).
    await deliveries.getByRole("link", { name: "Billing receiver" }).click();
    await expect(page.getByRole("heading", { name: "Billing receiver" })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/integrations/endpoints/${endpoint.id}$`));
    const stats = page.getByTestId("endpoint-stats");
    await expect(stats).toContainText("Success rate");
    await expect(stats).toContainText("0 succeeded · 0 failed · 1 in flight");
    const sent = page.getByRole("table", { name: "Deliveries to this endpoint, newest first" });
    await expect(sent).toContainText("push");
    await expect(sent.getByTestId("delivery-http")).toHaveText("HTTP 503");

    // A test send goes out now and says what the endpoint answered; it joins the endpoint's deliveries.
    await page.getByRole("button", { name: "Send test event" }).click();
    const tested = page.getByTestId("endpoint-test-result");
    await expect(tested).toContainText("Not delivered. HTTP 503");
    await expect(tested).toContainText("upstream down for maintenance");
    await expect(sent.getByRole("link", { name: "test", exact: true })).toBeVisible();

    // Sources list the full, copyable ingest URL.
    await openSubPage(page, "Integration pages", "Inbound sources");
    const shown = page.getByTestId("source-row-url");
    await expect(shown).toHaveText(new URL(source.url, page.url()).href);
    await expect(page.getByRole("button", { name: "Copy the URL of shop repository" })).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
