import { expect, test } from "@playwright/test";
import { go, postGithubEvent, signUpInProject, snapshot } from "./helpers.ts";

const DAY = 86_400_000;

test("insight: DORA keys from signed deployment webhooks show values, bands, samples and chart tooltips", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000); // the queue consumer and the rollup run in their own time on a loaded machine
  const { errors, projectId, call } = await signUpInProject(page, request, "Dora Metrics");

  await go(page, "Insight");
  await expect(page.getByText("No deployments or incidents in this window")).toBeVisible();
  await expect(page.getByRole("link", { name: "Integrations → Sources" })).toBeVisible();

  // Three successful production deployments and one failed, all in the last 28 days.
  const source = await call<{ id: string; secret: string }>("POST", "/v1/webhook-sources", {
    json: { provider: "github", name: "GitHub", projectId, secret: "e2e-insight-secret-0123456789" },
  });
  const now = Date.now();
  const deploys = [
    { id: 1, sha: "a1", state: "success", t: now - 17 * DAY },
    { id: 2, sha: "a2", state: "failure", t: now - 12 * DAY },
    { id: 3, sha: "a3", state: "success", t: now - 10 * DAY },
    { id: 4, sha: "a4", state: "success", t: now - 3 * DAY },
  ];
  for (const d of deploys) {
    await postGithubEvent(request, source, "deployment_status", {
      repository: { full_name: "acme/shop" },
      deployment: { id: d.id, sha: d.sha.padEnd(40, "0"), ref: "main", environment: "production" },
      deployment_status: {
        state: d.state,
        environment: "production",
        updated_at: new Date(d.t).toISOString(),
      },
    });
  }
  await expect
    .poll(
      async () =>
        (await call<{ items: { status: string }[] }>("GET", "/v1/webhook-events")).items.filter(
          (e) => e.status === "processed",
        ).length,
      { timeout: 120_000 },
    )
    .toBe(4);
  // The `*/5` cron's rollup, triggered as wrangler dev offers it locally.
  const ran = await request.get("/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*");
  expect(ran.ok()).toBe(true);
  await expect
    .poll(
      async () =>
        (
          await call<{ deploymentFrequency: { sampleSize: number } }>(
            "GET",
            `/v1/projects/${projectId}/insights/dora`,
          )
        ).deploymentFrequency.sampleSize,
      { timeout: 60_000 },
    )
    .toBe(3);

  await page.reload();
  const frequency = page.getByTestId("dora-deploymentFrequency");
  await expect(frequency.getByTestId("dora-value")).toHaveText(/^0\.[78] per week$/);
  await expect(frequency.getByTestId("dora-band")).toHaveText("Medium");
  await expect(frequency.getByTestId("dora-band")).toHaveClass(/band-medium/);
  await expect(frequency.getByTestId("dora-sample")).toHaveText("3");
  const failures = page.getByTestId("dora-changeFailureRate");
  await expect(failures.getByTestId("dora-value")).toHaveText("25%");
  await expect(failures.getByTestId("dora-band")).toHaveText("Low");
  await expect(failures.getByTestId("dora-sample")).toHaveText("4");
  await expect(page.getByTestId("dora-timeToRestore").getByTestId("dora-band")).toHaveText("No band");

  // A point per week (the window is widened to whole hours, so a short fifth bucket may follow); hovering
  // the week of the latest deployment and moving along by keyboard both show the tooltip.
  const points = frequency.getByTestId("chart-point");
  await expect(points.nth(3)).toBeVisible();
  expect(await points.count()).toBeLessThanOrEqual(5);
  await points.nth(3).hover();
  const tip = frequency.getByTestId("chart-tooltip");
  await expect(tip).toContainText(/Week of .* per week \(1 deployments\)/);
  await points.last().focus();
  await page.keyboard.press("Home");
  await expect(points.first()).toBeFocused();
  await expect(tip).toContainText("Week of");
  await expect(points.first()).toHaveAttribute("aria-label", /^Week of .*: /);

  // The window lives in the URL.
  await page.getByLabel("Window").selectOption("90");
  await expect(page).toHaveURL(/[?&]days=90/);
  await expect(frequency.getByTestId("chart-point").nth(12)).toBeVisible();
  await snapshot(page, "insight");
  expect(errors).toEqual([]);
});
