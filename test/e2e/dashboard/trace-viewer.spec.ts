import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signUpInProject } from "./helpers.ts";

type Run = { id: string };
type Page<T> = { items: T[] };
type Artifact = { id: string; kind: string; url: string };

// This spec records a trace itself: the runner's own tracing (playwright.config.ts) would hold the context.
test.use({ trace: "off" });

const REPORT =
  '<?xml version="1.0"?><testsuites><testsuite name="Checkout">' +
  '<testcase classname="Checkout" name="pays with a card" time="1.2">' +
  '<failure message="expected the receipt" type="Error">at pay (checkout.spec.ts:9:3)</failure></testcase>' +
  '<testcase classname="Checkout" name="shows the basket" time="0.4"/>' +
  "</testsuite></testsuites>";

test("CI: a failed result's trace opens in the self-hosted trace viewer, its screenshot shows inline", async ({
  page,
  browser,
  request,
}) => {
  // Signs up, records a trace and loads the viewer in a second tab: slow on a loaded machine.
  test.setTimeout(180_000);
  const { errors, projectId, call, token, orgId } = await signUpInProject(page, request, "Tracy Trace");

  // A real trace: a tiny page, one recorded click, with DOM snapshots; and a real screenshot of it.
  const dir = await mkdtemp(join(tmpdir(), "shifty-trace-"));
  const recorded = await browser.newContext();
  await recorded.tracing.start({ snapshots: true, screenshots: true });
  const tiny = await recorded.newPage();
  await tiny.setContent("<main><h1>Checkout</h1><button>Pay now</button></main>");
  await tiny.getByRole("button", { name: "Pay now" }).click();
  const screenshot = await tiny.screenshot();
  await recorded.tracing.stop({ path: join(dir, "trace.zip") });
  await recorded.close();
  const trace = await readFile(join(dir, "trace.zip"));
  await rm(dir, { recursive: true, force: true });

  const run = await call<Run>("POST", `/v1/projects/${projectId}/runs?branch=main`, {
    raw: REPORT,
    contentType: "application/xml",
  });
  const failed = await call<Page<{ id: string }>>("GET", `/v1/runs/${run.id}/results?status=failed`);
  const resultId = failed.items[0]!.id;
  for (const [type, data, name] of [
    ["application/zip", trace, "trace.zip"],
    ["image/png", screenshot, "test-failed-1.png"],
  ] as const) {
    const res = await request.post(`/v1/runs/${run.id}/results/${resultId}/artifacts?name=${name}`, {
      headers: { Authorization: `Bearer ${token}`, "X-Org-Id": orgId, "Content-Type": type },
      data,
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  const listed = await call<Page<Artifact>>("GET", `/v1/runs/${run.id}/artifacts`);
  expect(listed.items.map((a) => a.kind).sort()).toEqual(["screenshot", "trace"]);

  // The run detail: the failed row shows the screenshot inline and offers the trace.
  await page.goto(`/o/${orgId}/p/${projectId}/ci/runs/${run.id}`);
  const results = page.getByRole("table", { name: "Test results of this run" });
  const row = results.getByRole("row").filter({ hasText: "pays with a card" });
  const shot = row.getByRole("img", { name: /Screenshot at the failure/ });
  await expect(shot).toBeVisible();
  await expect.poll(() => shot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  await expect(
    results.getByRole("row").filter({ hasText: "shows the basket" }).getByTestId("result-artifacts"),
  ).toHaveCount(0);

  // The artifacts add nothing serious or critical for axe (the screen list's run has none).
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="result-artifacts"]').analyze();
  expect(
    violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
  ).toEqual([]);

  // "Open trace" → /trace/?trace=<signed URL> in a new tab, served by our own origin.
  const [viewer] = await Promise.all([
    page.waitForEvent("popup"),
    row.getByRole("link", { name: "Open trace" }).click(),
  ]);
  await viewer.waitForURL(/\/trace\/\?trace=/, { waitUntil: "commit", timeout: 60_000 });
  const opened = new URL(viewer.url());
  expect(opened.origin).toBe(new URL(page.url()).origin);
  expect(opened.pathname).toBe("/trace/");
  expect(opened.searchParams.get("trace")).toMatch(/\/v1\/artifacts\/art_[0-9a-z]{26}\/signed\?org=org_/);
  // The viewer loaded the trace: its action list shows the click we recorded.
  await expect(viewer.getByText(/Click.*Pay now/).first()).toBeVisible({ timeout: 60_000 });
  await viewer.close();
  expect(errors).toEqual([]);
});
