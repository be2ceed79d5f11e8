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
  // Swagger UI renders the whole document (about 150 operations) before its title: on a loaded
  // machine that took longer than the default 10 s once, while the page was fine.
  await expect(page.getByRole("heading", { name: /Shifty API/ })).toBeVisible({ timeout: 30_000 });
  const doc = (await (await page.request.get("/openapi.json")).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  // Swagger UI renders long documents as they scroll into view: walk the page and collect every
  // operation block that appears.
  await expect(page.locator(".opblock").first()).toBeVisible();
  const rendered = new Set<string>();
  for (let step = 0; step < 400; step++) {
    for (const id of await page.locator(".opblock").evaluateAll((els) => els.map((e) => e.id)))
      rendered.add(id);
    const atEnd = await page.evaluate(() => {
      window.scrollBy(0, 600);
      return window.innerHeight + window.scrollY >= document.body.scrollHeight - 2;
    });
    if (atEnd && step > 3 && rendered.size >= operations) break;
    await page.waitForTimeout(50);
  }
  expect(rendered.size).toBe(operations);
  expect([...rendered].some((id) => id.endsWith("-post_v1_heal"))).toBe(true);
  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});
