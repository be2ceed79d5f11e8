import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { githubNotConnected, go, signUpInProject, snapshot } from "./helpers.ts";

const fixture = (name: string) => readFile(new URL(`../../fixtures/ci/${name}`, import.meta.url), "utf8");
type Run = { id: string; gate: { status: string } };

test("CI: runs with gate badges and trend, run detail, flaky quarantine, history, clusters, gate rules, GitHub", async ({
  page,
  request,
}) => {
  // Before GitHub is connected its GET answers 404 ("not set up"), which Chromium logs; nothing else may.
  const { errors, projectId, call } = await signUpInProject(page, request, "Katherine CI", {
    allowUrl: githubNotConnected,
  });

  const upload = async (file: string, contentType: string, commit: string) =>
    call<Run>(
      "POST",
      `/v1/projects/${projectId}/runs?branch=main&commit=${commit}&provider=github&buildId=b-${commit}`,
      {
        raw: await fixture(file),
        contentType,
      },
    );
  const first = await upload("jest-junit.xml", "application/xml", "a1b2c3d4e5f6a7b8");
  await upload("surefire.xml", "application/xml", "b1b2c3d4e5f6a7b8");
  const flakyRun = await upload("playwright.json", "application/json", "c1b2c3d4e5f6a7b8");
  expect(first.gate.status).toBe("fail");

  await go(page, "CI runs");
  const runs = page.getByRole("table", { name: "Runs, newest first" });
  await expect(runs.getByRole("row")).toHaveCount(4);
  await expect(runs.getByTestId("gate-badge").first()).toBeVisible();
  await expect(page.getByTestId("pass-rate-trend").getByRole("group")).toHaveAccessibleName(/last 3 runs/);
  await snapshot(page, "ci-runs");

  // Run detail: the gate's reasons and the failed results.
  await runs.getByRole("row").last().getByRole("link").click();
  await expect(page.getByTestId("gate-reasons")).toContainText("minPassRate");
  await expect(page.getByTestId("gate-badge")).toHaveText(/gate failed/);
  await page.getByRole("button", { name: "Failed", exact: true }).click();
  const results = page.getByRole("table", { name: "Test results of this run" });
  await expect(results.getByRole("row")).toHaveCount(2);
  await expect(results).toContainText("Cart applies a discount code");
  await snapshot(page, "ci-run-detail");

  // Flaky tests: failure rate, interval, sample; quarantine it and it stays quarantined after a reload.
  const ciNav = page.getByRole("navigation", { name: "CI pages" });
  await ciNav.getByRole("link", { name: "Flaky tests" }).click();
  const flaky = page.getByRole("table", { name: "Flaky tests" });
  // Surefire's flakyFailure and Playwright's "flaky" status both count (a pass on retry).
  await expect(flaky.getByRole("row")).toHaveCount(3);
  const row = flaky.getByRole("row").nth(1);
  await expect(row).toContainText("%");
  await expect(row).toContainText("of 1");
  const testName = (await row.getByRole("link").textContent()) ?? "";
  await row.getByRole("button", { name: `Quarantine ${testName}` }).click();
  await expect(row.getByText("quarantined")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "is quarantined" })).toBeVisible();
  await snapshot(page, "ci-flaky");
  await page.reload();
  await expect(page.getByRole("table", { name: "Flaky tests" }).getByText("quarantined")).toBeVisible();

  // The test's history.
  await page.getByRole("table", { name: "Flaky tests" }).getByRole("link", { name: testName }).click();
  await expect(page.getByRole("heading", { level: 2, name: testName })).toBeVisible();
  await expect(page.getByRole("img", { name: /Last 1 results/ })).toBeVisible();
  await expect(page.getByRole("table", { name: /Results of this test/ })).toContainText("flaky");
  await snapshot(page, "ci-test-history");

  // Failure clusters with the first-seen commit, and one cluster's tests.
  await ciNav.getByRole("link", { name: "Failure clusters" }).click();
  const clusters = page.getByRole("list", { name: "Failure clusters" });
  await expect(clusters.getByRole("listitem").first()).toContainText("first seen");
  await expect(clusters).toContainText("a1b2c3d");
  await snapshot(page, "ci-clusters");
  await clusters.getByRole("listitem").first().getByRole("link").click();
  await expect(page.getByRole("table", { name: "Tests in this cluster" }).getByRole("row")).not.toHaveCount(
    1,
  );

  // Gate rules: relax the pass rate; the API reads it back.
  await ciNav.getByRole("link", { name: "Gate & GitHub" }).click();
  await expect(page.getByLabel("Minimum pass rate (%)")).toHaveValue("100");
  await page.getByLabel("Minimum pass rate (%)").fill("80");
  await page.getByLabel(/Quarantine flaky tests automatically/).check();
  await page.getByRole("button", { name: "Save gate rules" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Gate rules saved" })).toBeVisible();
  const rules = await call<{ minPassRate: number; autoQuarantine: boolean }>(
    "GET",
    `/v1/projects/${projectId}/gate-rules`,
  );
  expect(rules).toMatchObject({ minPassRate: 0.8, autoQuarantine: true });

  // GitHub: the token is write-only and comes back masked.
  await expect(page.getByText("Not connected.")).toBeVisible();
  const githubToken = "ghp_e2eTokenForShiftyDashboard0042";
  await page.getByLabel("Owner").fill("acme");
  await page.getByLabel("Repository").fill("shop");
  await page.getByLabel("Token", { exact: true }).fill(githubToken);
  await page.getByRole("button", { name: "Connect GitHub" }).click();
  await expect(page.getByTestId("github-current")).toContainText("acme/shop");
  await expect(page.getByTestId("github-current")).toContainText("…0042");
  expect(await page.content()).not.toContain(githubToken);
  await snapshot(page, "ci-settings");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText("Not connected.")).toBeVisible();

  expect(flakyRun.id).toMatch(/^run_/);
  expect(errors).toEqual([]);
});
