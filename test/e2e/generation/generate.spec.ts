// `shifty generate` end to end, in real headless Chromium against the local Shifty that run.mjs started:
// the CLI explores a small demo app served here, the API plans the tests, the CLI writes and verifies
// the suite; the suite then passes against another deployment of the app (BASE_URL) and fails against a
// broken one, so its assertions check behaviour.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { newKeyedTenant, root, run, shiftyBin, shiftyUrl } from "../cli-helpers.ts";
import { expectSuiteCatchesBreakage, serveHtml } from "./apps.ts";

const out = join(root, ".bench", `e2e-generation-${randomUUID().slice(0, 8)}`);

const APP = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Counter</title></head><body>
<h1>Counter</h1>
<p data-testid="count">Count: 0</p>
<button type="button" id="inc">Increment</button>
<button type="button" id="reset">Reset</button>
<label>Tag <input id="tag" placeholder="New tag"></label>
<ul id="tags"></ul>
<script>
  let count = Number(localStorage.getItem("count") || 0);
  const show = () => { document.querySelector("[data-testid=count]").textContent = "Count: " + count; };
  document.getElementById("inc").onclick = () => { count += STEP; localStorage.setItem("count", count); show(); };
  document.getElementById("reset").onclick = () => { count = 0; localStorage.setItem("count", 0); show(); };
  document.getElementById("tag").addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !e.target.value.trim()) return;
    const li = document.createElement("li"); li.textContent = e.target.value.trim();
    document.getElementById("tags").append(li); e.target.value = "";
  });
  show();
</script></body></html>`;

const serve = (step: number) => serveHtml(APP.replace("STEP", String(step)));

test.afterAll(() => rmSync(out, { recursive: true, force: true }));

test("shifty generate explores the app, plans through the API and writes a verified suite", async () => {
  test.setTimeout(20 * 60_000);
  const tenant = await newKeyedTenant("Generation E2E", "gen");
  const app = await serve(1);
  mkdirSync(out, { recursive: true });
  const env = {
    SHIFTY_URL: shiftyUrl,
    SHIFTY_API_KEY: tenant.apiKey,
    SHIFTY_PROJECT_ID: tenant.projectId,
    CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  };
  const generated = await run(
    shiftyBin,
    ["generate", app.url, "--out", out, "--verify", "2", "--max-tests", "10"],
    env,
  );
  app.server.close();
  expect(generated.code, generated.stderr).toBe(0);
  expect(generated.stdout).toMatch(/generated \d+ test\(s\) from 1 page\(s\)/);
  expect(generated.stderr).toMatch(/generation gen_[0-9a-z]{26}: succeeded/);

  const specs = readdirSync(out).filter((f) => f.endsWith(".spec.ts"));
  expect(specs).toEqual(["home.spec.ts"]);
  expect(existsSync(join(out, "playwright.config.ts"))).toBe(true);
  const source = readFileSync(join(out, "home.spec.ts"), "utf8");
  expect(source.match(/^import .*$/gm)).toEqual(['import { expect, test } from "@playwright/test";']);
  expect(source).not.toMatch(/waitForTimeout|127\.0\.0\.1/);
  expect(source).toContain('await page.getByRole("button", { name: "Increment", exact: true }).click();');
  expect(source).toContain('await expect(page.getByText("Count: 1", { exact: true })).toBeVisible();');
  expect(source).toContain("await page.reload();"); // the count is kept in localStorage

  // The same suite passes against another deployment (BASE_URL), and fails against one whose button adds
  // 2 instead of 1.
  await expectSuiteCatchesBreakage(out, env, await serve(1), () => serve(2));
});
