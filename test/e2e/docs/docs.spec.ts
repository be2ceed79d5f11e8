import { expect, test } from "@playwright/test";

// /docs must work offline and under the strict CSP: Swagger UI is served from our own assets.
test("the interactive API reference renders every documented operation, without console errors", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  const external: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(process.env.SHIFTY_URL ?? "http://127.0.0.1")) external.push(r.url());
  });

  await page.goto("/docs");
  await expect(page.getByRole("heading", { name: /Shifty API/ })).toBeVisible();
  const doc = (await (await page.request.get("/openapi.json")).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  await expect(page.locator(".opblock")).toHaveCount(operations);
  await expect(page.locator(".opblock-summary-path", { hasText: "/v1/heal" }).first()).toBeVisible();
  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});
