import { expect, test } from "@playwright/test";
import {
  apiAs,
  currentProjectId,
  githubNotConnected,
  go,
  healAndRecord,
  newAccount,
  openSubPage,
  signUp,
  signUpInProject,
  snapshot,
  watchConsole,
} from "./helpers.ts";

type HealAnswer = { healed: boolean; attemptId: string };
type Heal = { id: string; status: string };

const BEFORE = `<html><body><main><button id="buy" data-testid="buy" class="btn">Buy now</button><a href="/help">Help</a></main></body></html>`;
const AFTER = `<html><body><main><button data-testid="buy" class="btn primary">Buy now</button><a href="/help">Help</a></main></body></html>`;

test("healing: overview charts, attempts filter, approve and reject in the review queue, settings, retrain", async ({
  page,
  request,
}) => {
  // The narrow-screen pass opens Gate & GitHub, whose GET answers 404 until GitHub is connected.
  const { errors, projectId, call } = await signUpInProject(page, request, "Margaret Heals", {
    allowUrl: githubNotConnected,
  });

  // Three heal calls through the real engine (two DOM heals, one with nothing to heal to) …
  const attempts: HealAnswer[] = [];
  for (const selector of ["#buy", "#buy"]) {
    attempts.push(
      await call<HealAnswer>("POST", "/v1/heal", {
        json: { selector, dom: AFTER, previousDom: BEFORE, projectId },
      }),
    );
  }
  const abstained = await call<HealAnswer>("POST", "/v1/heal", {
    json: { target: { tag: "button", text: "Checkout" }, candidates: [], projectId },
  });
  expect(abstained.healed).toBe(false);

  // … and the heals a test run recorded: two under the 95% default threshold wait for review, one is auto-accepted.
  const record = (
    attemptId: string,
    title: string,
    line: number,
    confidence: number,
    healedSelector: string,
  ) =>
    call<Heal>("POST", `/v1/projects/${projectId}/heals`, {
      json: {
        testFile: "tests/checkout.spec.ts",
        testTitle: title,
        location: `tests/checkout.spec.ts:${line}:11`,
        originalSelector: "#buy",
        healedSelector,
        confidence,
        attemptId,
      },
    });
  const pendingA = await record(
    attempts[0]!.attemptId,
    "buys a single item",
    12,
    0.82,
    '[data-testid="buy"]',
  );
  const pendingB = await record(
    attempts[1]!.attemptId,
    "buys with a coupon",
    31,
    0.64,
    "main > button.primary",
  );
  const auto = await record(attempts[1]!.attemptId, "buys twice", 47, 0.99, '[data-testid="buy"]');
  expect([pendingA.status, pendingB.status, auto.status]).toEqual(["pending", "pending", "accepted"]);

  // Overview: the figures and the two bar charts.
  await go(page, "Healing");
  await expect(page.getByTestId("heal-rate")).toContainText(/\d+%/);
  await expect(page.getByTestId("heal-rate")).toContainText("1 abstained");
  await expect(page.getByTestId("acceptance-rate")).toContainText("nothing reviewed yet");
  await expect(page.getByTestId("chart-strategy").getByRole("row").first()).toBeVisible();
  await expect(page.getByTestId("chart-project")).toContainText("%");
  await snapshot(page, "healing-overview");

  // The review queue: old → new selector, confidence, test and location.
  const nav = page.getByRole("navigation", { name: "Healing pages" });
  await nav.getByRole("link", { name: "Review queue" }).click();
  const pending = page.getByRole("list", { name: "pending healed locators" });
  await expect(pending.getByRole("listitem")).toHaveCount(2);
  const cardA = pending.getByRole("listitem").filter({ hasText: "buys a single item" });
  await expect(cardA).toContainText("#buy");
  await expect(cardA).toContainText('[data-testid="buy"]');
  await expect(cardA).toContainText("82%");
  await expect(cardA).toContainText("tests/checkout.spec.ts:12:11");
  await snapshot(page, "healing-review");

  // Approve one: it leaves the queue and shows up under Accepted.
  await page.getByRole("button", { name: "Approve heal in buys a single item" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Approved" })).toBeVisible();
  await expect(pending.getByRole("listitem")).toHaveCount(1);
  // Changed my mind: Undo puts it back in the queue (the server reverts the approval), then approve again.
  await page.getByRole("button", { name: "Undo approval" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Approval undone" })).toBeVisible();
  await expect(pending.getByRole("listitem")).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Undo approval" })).toHaveCount(0);
  await page.getByRole("button", { name: "Approve heal in buys a single item" }).click();
  await expect(pending.getByRole("listitem")).toHaveCount(1);

  // Reject the other with the selector that was right.
  await page.getByRole("button", { name: "Reject heal in buys with a coupon" }).click();
  const dialog = page.getByRole("dialog", { name: "Reject this heal" });
  await dialog.getByLabel(/Correct selector/).fill('[data-testid="buy"]');
  await dialog.getByRole("button", { name: "Reject heal" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Nothing waits for review")).toBeVisible();

  await page.getByRole("button", { name: "Accepted", exact: true }).click();
  const accepted = page.getByRole("list", { name: "accepted healed locators" });
  await expect(accepted.getByRole("listitem")).toHaveCount(2);
  await expect(accepted.getByRole("listitem").filter({ hasText: "buys a single item" })).toContainText(
    "accepted",
  );
  await expect(accepted.getByRole("listitem").filter({ hasText: "buys twice" })).toContainText(
    "auto-accepted",
  );
  await page.getByRole("button", { name: "Rejected", exact: true }).click();
  await expect(page.getByRole("list", { name: "rejected healed locators" })).toContainText(
    "buys with a coupon",
  );

  // Heal settings: the threshold is saved and read back.
  await page.getByLabel("Auto-accept threshold (%)").fill("85");
  await page.getByRole("button", { name: "Save threshold" }).click();
  await expect(page.getByRole("status").filter({ hasText: "85.0%" })).toBeVisible();
  const settings = await call<{ autoAcceptThreshold: number }>(
    "GET",
    `/v1/projects/${projectId}/heal-settings`,
  );
  expect(settings.autoAcceptThreshold).toBe(0.85);

  // The overview now counts the reviews.
  await nav.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("acceptance-rate")).toContainText("of 2 reviewed");

  // Attempts: all three, then only the one that abstained.
  await nav.getByRole("link", { name: "Attempts" }).click();
  const table = page.getByRole("table", { name: "Heal attempts, newest first" });
  await expect(table.getByRole("row")).toHaveCount(4);
  await page.getByLabel("Outcome").selectOption("abstained");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByText("abstained")).toBeVisible();
  await snapshot(page, "healing-attempts");

  // Models: retraining says plainly why it did nothing.
  await nav.getByRole("link", { name: "Models" }).click();
  await expect(page.getByText("No trained versions yet")).toBeVisible();
  await page.getByRole("button", { name: "Retrain now" }).click();
  await expect(page.getByTestId("model-message")).toHaveText(
    "Retraining skipped: needs at least 20 labelled examples.",
  );
  await snapshot(page, "healing-models");

  // Narrow screens: the new sections fold without sideways scrolling of the page.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [section, sub] of [
    ["Healing", "Review queue"],
    ["CI runs", "Gate & GitHub"],
    ["Integrations", "Outbound endpoints"],
  ] as const) {
    await go(page, section);
    await page.getByRole("link", { name: sub, exact: true }).click();
    await expect(page.getByRole("link", { name: sub, exact: true })).toHaveAttribute("aria-current", "page");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${section} › ${sub} overflows`).toBeLessThanOrEqual(0);
  }
  await snapshot(page, "integrations-mobile");

  expect(errors).toEqual([]);
});

test("a viewer sees the healing, CI and integration screens read-only, with the reason", async ({
  page,
  browser,
  request,
}) => {
  const owner = page;
  const ownerAccount = newAccount("Olga Owner");
  await signUp(owner, ownerAccount);
  const projectId = await currentProjectId(owner);
  const { call } = await apiAs(owner, request);
  await healAndRecord(call, projectId, {
    dom: AFTER,
    previousDom: BEFORE,
    testTitle: "adds to cart",
    location: "tests/cart.spec.ts:5:3",
    confidence: 0.5,
    healedSelector: '[data-testid="buy"]',
  });
  const viewerAccount = newAccount("Victor Viewer");
  const { token } = await call<{ token: string }>("POST", "/v1/invites", {
    json: { email: viewerAccount.email, role: "viewer" },
  });

  const context = await browser.newContext();
  const viewer = await context.newPage();
  const errors = watchConsole(viewer);
  await signUp(viewer, viewerAccount);
  await viewer.goto(`/join?token=${encodeURIComponent(token)}`);
  await viewer.getByRole("button", { name: "Accept invite" }).click();
  await expect(viewer.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await expect(viewer.getByLabel("Organisation", { exact: true }).locator("option:checked")).toHaveText(
    ownerAccount.orgName,
  );
  await expect(viewer.getByLabel("Project", { exact: true })).toHaveValue(projectId);

  // The admin pages a viewer may not open are not offered at all.
  const nav = viewer.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Healing" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "API keys" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);

  await go(viewer, "Healing");
  await openSubPage(viewer, "Healing pages", "Review queue");
  await expect(viewer.getByRole("list", { name: "pending healed locators" })).toContainText("adds to cart");
  await expect(viewer.getByRole("button", { name: /Approve/ })).toHaveCount(0);
  await expect(viewer.getByTestId("read-only-note").first()).toContainText("heal:write");
  await expect(viewer.getByLabel("Auto-accept threshold (%)")).toBeDisabled();
  await openSubPage(viewer, "Healing pages", "Models");
  await expect(viewer.getByRole("button", { name: "Retrain now" })).toHaveCount(0);
  await expect(viewer.getByTestId("read-only-note")).toContainText("models:manage");

  await go(viewer, "CI runs");
  await openSubPage(viewer, "CI pages", "Gate & GitHub");
  await expect(viewer.getByRole("button", { name: "Save gate rules" })).toHaveCount(0);
  await expect(viewer.getByText("the GitHub integration needs the")).toBeVisible();

  await go(viewer, "Integrations");
  await openSubPage(viewer, "Integration pages", "Inbound sources");
  await expect(viewer.getByRole("button", { name: "Create source" })).toHaveCount(0);
  await expect(viewer.getByTestId("read-only-note")).toContainText("webhooks:manage");
  await snapshot(viewer, "viewer-read-only");

  expect(errors).toEqual([]);
  await context.close();
});
