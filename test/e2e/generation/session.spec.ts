// A manual session end to end, in real headless Chromium against the local Shifty that run.mjs
// started: `shifty record --headless --script` drives a small demo shop and streams its steps (and a
// screenshot, by the screenshot key) into the session's room; the timeline shows them; a note and a
// finding add expectations; `shifty generate --session` writes a spec that passes against the shop and
// fails against a broken copy of it.
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { call, newKeyedTenant, root, run, shiftyBin, shiftyUrl } from "../cli-helpers.ts";
import { expectSuiteCatchesBreakage, serveHtml } from "./apps.ts";

const out = join(root, ".bench", `e2e-session-${randomUUID().slice(0, 8)}`);

const SHOP = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<header><h1>Shop</h1><span data-testid="cart-count">0 items</span> <a href="#/cart">Cart</a></header>
<p>Free shipping over £50</p>
<main>
<label>Email <input id="email" type="email"></label>
<button type="button" id="add">Add to cart</button>
<label>Size <select id="size"><option>Small</option><option>Large</option></select></label>
<label><input type="checkbox" id="gift"> Gift wrap</label>
<input id="coupon" placeholder="Coupon code">
<p id="coupon-state"></p>
<section id="cart" hidden><h2>Your cart</h2><p id="cart-summary"></p></section>
</main>
<script>
  let items = 0;
  const count = () => items + " item" + (items === 1 ? "" : "s");
  document.getElementById("add").onclick = () => {
    items += STEP;
    document.querySelector("[data-testid=cart-count]").textContent = count();
  };
  document.getElementById("coupon").addEventListener("keydown", (e) => {
    if (e.key === "Enter") document.getElementById("coupon-state").textContent = "Coupon " + e.target.value + " applied";
  });
  const route = () => {
    const cart = location.hash === "#/cart";
    document.getElementById("cart").hidden = !cart;
    document.getElementById("cart-summary").textContent = count() + " in your cart";
  };
  addEventListener("hashchange", route);
  route();
</script></body></html>`;

const SCRIPT = `export default async function (page) {
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByLabel("Size").selectOption("Large");
  await page.getByLabel("Gift wrap").check();
  await page.getByPlaceholder("Coupon code").fill("SAVE10");
  await page.getByPlaceholder("Coupon code").press("Enter");
  await page.getByText("Coupon SAVE10 applied").waitFor();
  await page.keyboard.press("F9");
  await page.getByRole("link", { name: "Cart" }).click();
  await page.getByText("2 items in your cart").waitFor();
}
`;

const serve = (step: number) => serveHtml(SHOP.replace("STEP", String(step)));

type Event = { seq: number; kind: string; data: Record<string, unknown> };

test.afterAll(() => rmSync(out, { recursive: true, force: true }));

test("shifty record streams a session's steps; generate --session turns them into a passing spec", async () => {
  test.setTimeout(10 * 60_000);
  const tenant = await newKeyedTenant("Session E2E", "ses");
  const session = await call<{ id: string }>(
    "POST",
    `/v1/projects/${tenant.projectId}/sessions`,
    tenant.apiKey,
    {
      title: "Checkout with a coupon",
      charter: "Add two items, choose options, apply a coupon and open the cart",
      environment: "local",
      timeboxMinutes: 30,
    },
  );
  mkdirSync(out, { recursive: true });
  const script = join(out, "drive.mjs");
  writeFileSync(script, SCRIPT);
  const env = {
    SHIFTY_URL: shiftyUrl,
    SHIFTY_API_KEY: tenant.apiKey,
    CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  };
  const app = await serve(1);

  const recorded = await run(
    shiftyBin,
    ["record", app.url, "--session", session.id, "--headless", "--script", script],
    env,
  );
  expect(recorded.code, recorded.stderr).toBe(0);
  expect(recorded.stdout).toContain(`recorded 10 step(s) and 1 screenshot(s) into session ${session.id}`);

  // The room mirrors WebSocket events to D1 within moments: poll the HTTP timeline.
  let events: Event[] = [];
  await expect
    .poll(
      async () => {
        events = (
          await call<{ items: Event[] }>("GET", `/v1/sessions/${session.id}/events?limit=500`, tenant.apiKey)
        ).items;
        return events.map((e) => (e.kind === "step" ? String(e.data.action) : e.kind));
      },
      { timeout: 30_000 },
    )
    .toEqual([
      "navigate",
      "fill",
      "click",
      "click",
      "select",
      "check",
      "fill",
      "press",
      "screenshot",
      "click",
      "navigate",
    ]);
  const steps = events.filter((e) => e.kind === "step");
  expect(steps[1]!.data).toMatchObject({
    action: "fill",
    value: "ada@example.com",
    target: { role: "textbox", accessibleName: "Email", label: "Email", selector: "#email" },
  });
  expect(steps[2]!.data.target).toMatchObject({
    role: "button",
    accessibleName: "Add to cart",
    selector: "#add",
  });
  expect(steps[4]!.data).toMatchObject({ action: "select", value: "Large", target: { label: "Size" } });
  expect(steps[6]!.data).toMatchObject({ value: "SAVE10", target: { placeholder: "Coupon code" } });
  expect(steps[7]!.data).toMatchObject({ action: "press", value: "Enter" });
  expect(steps[9]!.data.url).toBe(`${app.url}#/cart`);
  const shot = events.find((e) => e.kind === "screenshot")!;
  const image = await fetch(`${shiftyUrl}${String(shot.data.url)}`, {
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  expect(image.status).toBe(200);
  expect(image.headers.get("content-type")).toBe("image/png");

  await call("POST", `/v1/sessions/${session.id}/events`, tenant.apiKey, {
    type: "note",
    text: "expect: cart shows 2 items",
  });
  await call("POST", `/v1/sessions/${session.id}/events`, tenant.apiKey, {
    type: "finding",
    severity: "minor",
    title: 'Banner says "Free shipping over £50"',
  });

  const generated = await run(shiftyBin, ["generate", "--session", session.id, "--out", out], env);
  expect(generated.code, generated.stderr).toBe(0);
  expect(generated.stdout).toMatch(/generated 1 test\(s\) with 3 assertion\(s\) from 10 step\(s\)/);
  expect(readdirSync(out).filter((f) => f.endsWith(".spec.ts"))).toEqual([
    "session-checkout-with-a-coupon.spec.ts",
  ]);
  const spec = readFileSync(join(out, "session-checkout-with-a-coupon.spec.ts"), "utf8");
  expect(spec.match(/^import .*$/gm)).toEqual(['import { expect, test } from "@playwright/test";']);
  expect(spec).not.toMatch(/waitForTimeout|127\.0\.0\.1/);
  for (const line of [
    'await page.goto("/");',
    'await page.getByRole("textbox", { name: "Email", exact: true }).fill("ada@example.com");',
    'await page.getByRole("button", { name: "Add to cart", exact: true }).click();',
    'await page.getByRole("combobox", { name: "Size", exact: true }).selectOption({ label: "Large" });',
    'await page.getByRole("checkbox", { name: "Gift wrap", exact: true }).check();',
    'await page.getByPlaceholder("Coupon code", { exact: true }).press("Enter");',
    "await expect(page).toHaveURL(/\\/#\\/cart$/);",
    'await expect(page.getByText("2 items").first()).toBeVisible();',
    'await expect(page.getByText("Free shipping over £50").first()).toBeVisible();',
  ])
    expect(spec).toContain(line);

  // The spec passes against the shop it was recorded on, and fails against a copy whose button adds 2
  // items at a time.
  await expectSuiteCatchesBreakage(out, env, app, () => serve(2));
});
