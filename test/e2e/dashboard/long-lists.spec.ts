import { expect, test } from "@playwright/test";
import { go, postGithubPush, signUpInProject } from "./helpers.ts";

// The API answers lists a page at a time (25 by default, docs/http-conventions.md); a screen that shows
// only the first page hides everything older. One more item than a page must be reachable.
const MORE_THAN_A_PAGE = 26;

test("sessions, API keys and invites past the first page are reached with Load more, in lists and in the session picker", async ({
  page,
  request,
}) => {
  const { errors, projectId, call } = await signUpInProject(page, request, "Grace Lists");
  for (let i = 1; i <= MORE_THAN_A_PAGE; i++) {
    const n = String(i).padStart(2, "0");
    await call("POST", `/v1/projects/${projectId}/sessions`, {
      json: { title: `Session ${n}`, charter: "Explore", environment: "staging", timeboxMinutes: 30 },
    });
    await call("POST", "/v1/api-keys", { json: { name: `Key ${n}` } });
    await call("POST", "/v1/invites", { json: { email: `invitee${n}@example.com`, role: "viewer" } });
  }

  // Newest first: the oldest of each is on the second page.
  await go(page, "API keys");
  const keys = page.getByRole("table", { name: "API keys" });
  await expect(keys.getByRole("row", { name: /Key 26/ })).toBeVisible();
  await expect(keys.getByRole("row", { name: /Key 01/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Load more keys" }).click();
  await expect(keys.getByRole("row", { name: /Key 01/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Load more keys" })).toHaveCount(0);

  await go(page, "Members");
  const invites = page.getByRole("table", { name: "Invites" });
  await expect(invites.getByRole("row", { name: /invitee26@/ })).toBeVisible();
  await expect(invites.getByRole("row", { name: /invitee01@/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Load more invites" }).click();
  await expect(invites.getByRole("row", { name: /invitee01@/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Load more invites" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Members" })).toContainText("Grace Lists");

  await go(page, "Sessions");
  const sessions = page.getByRole("list", { name: "Sessions" });
  await expect(sessions.getByRole("link", { name: "Session 26" })).toBeVisible();
  await expect(sessions.getByRole("link", { name: "Session 01" })).toHaveCount(0);
  await page.getByRole("button", { name: "Load older sessions" }).click();
  await expect(sessions.getByRole("link", { name: "Session 01" })).toBeVisible();
  await expect(sessions.getByRole("listitem")).toHaveCount(MORE_THAN_A_PAGE);

  // Test generation's session picker pages the same way: a choice made on the first page survives
  // loading older sessions, and the older session can then be chosen.
  await go(page, "Test generation");
  const picker = page.getByLabel("Session", { exact: true });
  const optionText = async (title: RegExp) =>
    (await picker.getByRole("option", { name: title }).textContent()) ?? "";
  await expect(picker.getByRole("option")).toHaveCount(MORE_THAN_A_PAGE - 1);
  await expect(picker.getByRole("option", { name: /^Session 01 / })).toHaveCount(0);
  await picker.selectOption({ label: await optionText(/^Session 10 /) });
  await page.getByRole("button", { name: "Load older sessions" }).click();
  await expect(picker.getByRole("option")).toHaveCount(MORE_THAN_A_PAGE);
  await expect(picker.locator("option:checked")).toHaveText(/^Session 10 /);
  await picker.selectOption({ label: await optionText(/^Session 01 /) });
  await expect(picker.locator("option:checked")).toHaveText(/^Session 01 /);
  await expect(page.getByRole("button", { name: "Load older sessions" })).toHaveCount(0);

  expect(errors).toEqual([]);
});

// The project list is the dashboard's navigation: the switcher, a link naming a project and every form's
// Project select check against it. It is read to its end (pages of 100), so the 101st project is
// reachable like the first; the sign-up's own project is the oldest, on the second page.
test("every project past the first page of 100 is in the switcher and opens from a link", async ({
  page,
  request,
}) => {
  const {
    errors,
    projectId: firstProject,
    orgId,
    call,
  } = await signUpInProject(page, request, "Ada Projects");
  for (let i = 1; i <= 100; i++)
    await call("POST", "/v1/projects", { json: { name: `Project ${String(i).padStart(3, "0")}` } });

  await page.goto(`/o/${orgId}/p/${firstProject}/sessions`);
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  const switcher = page.getByLabel("Project", { exact: true });
  await expect(switcher).toHaveValue(firstProject);
  await expect(switcher.getByRole("option")).toHaveCount(101);
  await expect(page.getByRole("heading", { name: "Project not found" })).toHaveCount(0);

  await switcher.selectOption({ label: "Project 100" });
  await expect(page).toHaveURL(/\/p\/prj_[^/]+\/sessions$/);
  await switcher.selectOption(firstProject);
  await expect(page).toHaveURL(new RegExp(`/p/${firstProject}/sessions$`));
  expect(errors).toEqual([]);
});

// A run keeps up to 20 artifacts per failed result, so a run with many failures lists its artifacts
// over several pages (100 at most each): every failed row shows its own, whichever page they are on.
test("a run's failure artifacts past the first page of 100 show on their rows", async ({ page, request }) => {
  const { errors, projectId, orgId, call } = await signUpInProject(page, request, "Ada Artifacts");
  const FAILED = 34;
  const cases = Array.from(
    { length: FAILED },
    (_, i) =>
      `<testcase classname="Shop" name="fails ${String(i + 1).padStart(2, "0")}" time="0.1">` +
      '<failure message="boom" type="Error">at shop.spec.ts:1:1</failure></testcase>',
  ).join("");
  const run = await call<{ id: string }>("POST", `/v1/projects/${projectId}/runs?branch=main`, {
    raw: `<?xml version="1.0"?><testsuites><testsuite name="Shop">${cases}</testsuite></testsuites>`,
    contentType: "application/xml",
  });
  const failed = await call<{ items: { id: string }[] }>(
    "GET",
    `/v1/runs/${run.id}/results?status=failed&limit=100`,
  );
  expect(failed.items).toHaveLength(FAILED);
  // A video is a link, not an image the page loads: 102 artifacts, three per failed result.
  const webm = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01]);
  for (const result of failed.items)
    for (let k = 1; k <= 3; k++)
      await call("POST", `/v1/runs/${run.id}/results/${result.id}/artifacts?name=attempt-${k}.webm`, {
        raw: webm,
        contentType: "video/webm",
      });

  await page.goto(`/o/${orgId}/p/${projectId}/ci/runs/${run.id}`);
  const results = page.getByRole("table", { name: "Test results of this run" });
  await expect(results.getByRole("row").filter({ hasText: /fails \d\d/ })).toHaveCount(FAILED);
  await expect(results.getByRole("link", { name: /^Video \d$/ })).toHaveCount(3 * FAILED);
  for (const row of await results
    .getByRole("row")
    .filter({ hasText: /fails \d\d/ })
    .all())
    await expect(row.getByRole("link", { name: /^Video \d$/ })).toHaveCount(3);
  expect(errors).toEqual([]);
});

// An event's deliveries name their endpoints from the organisation's endpoint list, read to its end
// (pages of 100): the oldest endpoint, on the second page, is named like the newest.
test("an event's delivery to an endpoint past the first page of 100 names it", async ({ page, request }) => {
  const { errors, call } = await signUpInProject(page, request, "Ada Endpoints");
  const source = await call<{ id: string; url: string; secret: string }>("POST", "/v1/webhook-sources", {
    json: { provider: "github", name: "shop repository" },
  });
  // Nothing listens on port 9: the delivery fails, which is all this test needs of it.
  const oldest = await call<{ id: string }>("POST", "/v1/webhook-endpoints", {
    json: { url: "http://127.0.0.1:9/hook", eventTypes: ["github.*"], description: "Billing receiver" },
  });
  for (let i = 1; i <= 100; i++)
    await call("POST", "/v1/webhook-endpoints", {
      json: { url: `http://127.0.0.1:9/jira-${i}`, eventTypes: ["jira.*"], description: `Jira ${i}` },
    });

  await postGithubPush(request, source);
  await go(page, "Integrations");
  const events = page.getByRole("table", { name: "Webhook events, newest first" });
  await events.getByRole("row").nth(1).getByRole("link").click();
  const deliveries = page.getByRole("table", { name: "Deliveries" });
  await expect(deliveries.getByRole("link", { name: "Billing receiver" })).toBeVisible();
  await expect(page.getByText(oldest.id)).toHaveCount(0);
  expect(errors).toEqual([]);
});
