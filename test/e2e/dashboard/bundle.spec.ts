import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";

// The JavaScript a first visit must download before anything shows: the entry module and the modules it
// preloads, gzip-compressed as a CDN would send them. Screens are lazy chunks and do not count.
const BUDGET_BYTES = 100 * 1024;

test("initial JavaScript stays within 100 kB gzip; screens load as separate chunks", async ({
  page,
  request,
}) => {
  const html = await (await request.get("/")).text();
  const entry = [...html.matchAll(/<script type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
  expect(entry).toHaveLength(1);
  let gzipped = 0;
  for (const path of [...entry, ...preloads]) {
    const body = await (await request.get(path)).body();
    gzipped += gzipSync(body, { level: 9 }).length;
  }
  console.log(
    `initial JS: ${(gzipped / 1024).toFixed(1)} kB gzip in ${entry.length + preloads.length} file(s)`,
  );
  expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);

  // The sign-in page needs nothing beyond the entry; a screen's code arrives when it is opened.
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
  });
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect(scripts.filter((s) => !entry.includes(s) && !preloads.includes(s))).toEqual([]);
});
