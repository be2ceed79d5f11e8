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
  // Swagger UI renders long documents as they scroll into view and drops what scrolls out: walk
  // the page in half-viewport steps and collect every operation block that appears. On a loaded
  // machine the rendering can lag a step behind the scroll and a block slips past unseen, so a pass
  // that misses one is walked again from the top (each pass waits a frame more per step).
  await expect(page.locator(".opblock").first()).toBeVisible();
  test.setTimeout(180_000);
  const rendered = new Set<string>();
  const collect = async () => {
    for (const id of await page.locator(".opblock").evaluateAll((els) => els.map((e) => e.id)))
      rendered.add(id);
  };
  for (let pass = 1; pass <= 3 && rendered.size < operations; pass++) {
    await page.evaluate(() => window.scrollTo(0, 0));
    for (let step = 0; step < 1_000 && rendered.size < operations; step++) {
      await page.evaluate(
        (frames) =>
          new Promise<void>((settled) => {
            const wait = (n: number) => (n === 0 ? settled() : requestAnimationFrame(() => wait(n - 1)));
            wait(frames);
          }),
        pass + 1,
      );
      await page.waitForTimeout(50 * pass);
      await collect();
      const atEnd = await page.evaluate(() => {
        const before = window.scrollY;
        window.scrollBy(0, Math.max(200, Math.floor(window.innerHeight / 2)));
        return window.scrollY === before;
      });
      if (atEnd) {
        await page.waitForTimeout(100 * pass);
        await collect();
        break;
      }
    }
  }
  expect(rendered.size).toBe(operations);
  expect([...rendered].some((id) => id.endsWith("-post_v1_heal"))).toBe(true);
  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});
