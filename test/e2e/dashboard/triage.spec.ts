import { expect, type Page, test } from "@playwright/test";
import { type ReportSpec, playwrightReport as report } from "../../fixtures/ci/playwright-report.ts";
import { apiAs, currentProjectId, go, openSubPage, signUpNew, snapshot } from "./helpers.ts";

// Run triage (failures first, new failures marked, base-branch comparison, sort, quarantine from the
// row, run numbers), test search, and the trends chart, in Chromium against the real API.

type Spec = ReportSpec;
type Run = { id: string; number: number; newFailures: number };

async function seed(page: Page, request: Parameters<typeof apiAs>[1]) {
  const projectId = await currentProjectId(page);
  const { call } = await apiAs(page, request);
  const upload = (specs: Record<string, Spec>, query: string) =>
    call<Run>("POST", `/v1/projects/${projectId}/runs?${query}`, {
      raw: report(specs),
      contentType: "application/json",
    });
  const main = await upload(
    {
      "checkout pays by card": { outcome: "pass", ms: 1200, file: "checkout.spec.ts", tags: ["@smoke"] },
      "cart keeps items": { outcome: "fail", ms: 300, file: "cart.spec.ts" },
      "login works": { outcome: "pass", ms: 200, file: "auth.spec.ts", tags: ["@smoke", "@auth"] },
    },
    "branch=main&commit=aaaaaaa1",
  );
  const pr = await upload(
    {
      "checkout pays by card": { outcome: "fail", ms: 2500, file: "checkout.spec.ts", tags: ["@smoke"] },
      "cart keeps items": { outcome: "fail", ms: 350, file: "cart.spec.ts" },
      "login works": { outcome: "pass", ms: 900, file: "auth.spec.ts", tags: ["@smoke", "@auth"] },
      "address form validates": { outcome: "fail", ms: 100, file: "address.spec.ts" },
    },
    "branch=feature/pay&baseBranch=main&commit=bbbbbbb2",
  );
  return { projectId, call, main, pr };
}

const rowNames = (page: Page) =>
  page
    .getByRole("table", { name: "Test results of this run" })
    .getByTestId("triage-row")
    .evaluateAll((rows) => rows.map((r) => r.querySelector("th a")?.textContent ?? ""));

test("triage: run numbers, failures first, new failures marked as the gate counts them, base comparison, sort, quarantine from the row", async ({
  page,
  request,
}) => {
  const { errors } = await signUpNew(page, "Tara Triage");
  const { call, main, pr } = await seed(page, request);
  expect([main.number, pr.number]).toEqual([1, 2]);
  expect(pr.newFailures).toBe(2);

  await go(page, "CI runs");
  const runs = page.getByRole("table", { name: "Runs, newest first" });
  const newest = runs.getByRole("link", { name: "#2" });
  await expect(newest).toHaveAttribute("title", /\d/); // the absolute time on hover
  await newest.click();
  await expect(page.getByRole("heading", { level: 2, name: /Run #2 on feature\/pay/ })).toBeVisible();
  await expect(page.getByTestId("reference-run")).toContainText("#1 on main");
  await expect(page.getByTestId("gate-reasons")).toContainText("2 new failure(s)");

  // Failures first, new ones first among them; exactly the gate's count is marked.
  const table = page.getByRole("table", { name: "Test results of this run" });
  await expect(table.getByTestId("triage-row")).toHaveCount(4);
  expect(await rowNames(page)).toEqual([
    "address form validates",
    "checkout pays by card",
    "cart keeps items",
    "login works",
  ]);
  await expect(table.getByTestId("new-failure")).toHaveCount(2);
  await expect(page.getByTestId("new-failures")).toHaveText("2");
  const checkout = table.getByTestId("triage-row").filter({ hasText: "checkout pays by card" });
  await expect(checkout.getByTestId("base-status")).toHaveText("passed");
  const cart = table.getByTestId("triage-row").filter({ hasText: "cart keeps items" });
  await expect(cart.getByTestId("base-status")).toHaveText("failed");
  await expect(cart.getByTestId("new-failure")).toHaveCount(0);
  await expect(
    table.getByTestId("triage-row").filter({ hasText: "address form validates" }).getByTestId("base-status"),
  ).toHaveText("not run");
  await snapshot(page, "ci-triage");

  // Sort and filter live in the URL and survive a reload.
  await page.getByLabel("Sort").selectOption("duration");
  await expect(page).toHaveURL(/sort=duration/);
  await expect
    .poll(() => rowNames(page))
    .toEqual(["checkout pays by card", "login works", "cart keeps items", "address form validates"]);
  await page.getByLabel("Sort").selectOption("name");
  await expect
    .poll(() => rowNames(page))
    .toEqual(["address form validates", "cart keeps items", "checkout pays by card", "login works"]);
  await page.getByRole("button", { name: "New failures" }).click();
  await expect(page).toHaveURL(/status=new/);
  await page.reload();
  await expect(page.getByRole("button", { name: "New failures" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel("Sort")).toHaveValue("name");
  // The filter and sort come from the URL at once; the rows arrive with the reloaded data.
  await expect.poll(() => rowNames(page)).toEqual(["address form validates", "checkout pays by card"]);

  // Quarantine from the row: the API records it; releasing works the same way.
  const row = table.getByTestId("triage-row").filter({ hasText: "checkout pays by card" });
  await row.getByRole("button", { name: "Quarantine checkout pays by card" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is quarantined" })).toBeVisible();
  await expect(row.getByRole("button", { name: "Quarantine checkout pays by card" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  const cmp = await call<{ items: { name: string; testId: string; testQuarantined: boolean }[] }>(
    "GET",
    `/v1/runs/${pr.id}/compare`,
  );
  const quarantined = cmp.items.find((i) => i.name === "checkout pays by card")!;
  expect(quarantined.testQuarantined).toBe(true);
  const audit = await call<{ items: { action: string; targetId: string }[] }>("GET", "/v1/audit?limit=20");
  expect(audit.items.some((a) => a.action === "test.quarantine" && a.targetId === quarantined.testId)).toBe(
    true,
  );
  await page.reload();
  await expect(row.getByText("quarantined")).toBeVisible();
  await row.getByRole("button", { name: "Quarantine checkout pays by card" }).click();
  await expect(page.getByRole("status").filter({ hasText: "released from quarantine" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("tests: search by name, file, tag and status in the URL; test detail with tags and duration history", async ({
  page,
  request,
}) => {
  const { errors } = await signUpNew(page, "Sam Search");
  await seed(page, request);
  await go(page, "CI runs");
  await page
    .getByRole("navigation", { name: "CI pages" })
    .getByRole("link", { name: "Tests", exact: true })
    .click();
  const tests = page.getByRole("table", { name: "Tests", exact: true });
  await expect(tests.getByRole("row")).toHaveCount(5);

  const search = page.getByRole("form", { name: "Search tests" });
  await search.getByLabel("Tag").fill("@smoke");
  await search.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/tag=%40smoke/);
  await expect(tests.getByRole("row")).toHaveCount(3);
  await search.getByLabel("Name").fill("login");
  await search.getByRole("button", { name: "Apply" }).click();
  await expect(tests.getByRole("row")).toHaveCount(2);
  await expect(tests).toContainText("@auth");
  await page.reload();
  await expect(page.getByRole("form", { name: "Search tests" }).getByLabel("Name")).toHaveValue("login");
  await expect(tests.getByRole("row")).toHaveCount(2);

  await page.getByRole("form", { name: "Search tests" }).getByRole("button", { name: "Clear" }).click();
  await expect(tests.getByRole("row")).toHaveCount(5);
  await search.getByLabel("File").fill("cart");
  await search.getByLabel("Status").selectOption("broken");
  await search.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/file=cart/);
  await expect(page.getByText("No tests match")).toBeVisible();
  await search.getByLabel("Status").selectOption("");
  await search.getByRole("button", { name: "Apply" }).click();
  await expect(tests.getByRole("row")).toHaveCount(2);
  await snapshot(page, "ci-tests");

  await page.getByRole("form", { name: "Search tests" }).getByRole("button", { name: "Clear" }).click();
  await tests.getByRole("link", { name: "checkout pays by card" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "checkout pays by card" })).toBeVisible();
  await expect(page.getByTestId("test-tags")).toHaveText("@smoke");
  const duration = page.getByTestId("test-duration");
  await expect(duration.getByTestId("chart-point")).toHaveCount(2);
  await duration.getByTestId("chart-point").last().hover();
  await expect(duration.getByTestId("chart-tooltip")).toContainText("2.5 s, failed on feature/pay");
  expect(errors).toEqual([]);
});

test("trends: daily charts with axes, tooltips and click-through, per branch in the URL; slowest tests", async ({
  page,
  request,
}) => {
  const { errors } = await signUpNew(page, "Theo Trends");
  const { pr } = await seed(page, request);
  await go(page, "CI runs");
  await openSubPage(page, "CI pages", "Trends");
  await expect(page.getByTestId("trends-summary")).toContainText(
    "2 runs in the last 30 days on all branches",
  );

  const passRate = page.getByTestId("trend-pass-rate");
  await expect(passRate.getByTestId("chart-point")).toHaveCount(30);
  await expect(passRate.locator("text.axis-tick").first()).toHaveText("0%");
  const today = passRate.getByTestId("chart-point").last();
  // Today: 3 of 7 results passed over both runs.
  await today.hover();
  await expect(passRate.getByTestId("chart-tooltip")).toContainText("42.9% passed · 2 runs");
  await expect(page.getByTestId("trend-duration").getByRole("group")).toHaveAccessibleName(
    /Run duration per day/,
  );
  await expect(
    page.getByRole("table", { name: "Slowest tests by average duration" }).getByRole("row").nth(1),
  ).toContainText("checkout pays by card");
  await snapshot(page, "ci-trends");

  // The branch filter is in the URL; the chart then counts only that branch.
  const filter = page.getByRole("form", { name: "Filter trends" });
  await filter.getByLabel("Branch").fill("main");
  await filter.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/branch=main/);
  await expect(page.getByTestId("trends-summary")).toContainText("1 run in the last 30 days on main");
  await page.getByTestId("trend-pass-rate").getByTestId("chart-point").last().hover();
  await expect(page.getByTestId("trend-pass-rate").getByTestId("chart-tooltip")).toContainText(
    "66.7% passed · 1 run",
  );

  // Click-through (keyboard): Enter on today's point opens that day's latest run.
  await filter.getByRole("button", { name: "Clear" }).click();
  await expect(page.getByTestId("trends-summary")).toContainText("2 runs");
  const point = page.getByTestId("trend-pass-rate").getByTestId("chart-point").last();
  await point.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/ci/runs/${pr.id}`));
  await expect(page.getByRole("heading", { level: 2, name: /Run #2/ })).toBeVisible();
  expect(errors).toEqual([]);
});
