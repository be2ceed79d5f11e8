import { expect, test } from "@playwright/test";
import { apiAs, closeAll, currentProjectId, go, newAccount, signUp } from "./helpers.ts";

const CONTEXT = /\/o\/org_[0-9a-z]+\/p\/prj_[0-9a-z]+/;

test("URLs carry the organisation and project, old paths redirect, titles name the screen", async ({
  page,
}) => {
  const account = newAccount("Ada Routes");
  await signUp(page, account);
  await expect(page).toHaveURL(new RegExp(`${CONTEXT.source}/sessions$`));
  await expect(page).toHaveTitle(/^Sessions · .+ · Shifty$/);
  await go(page, "API keys");
  await expect(page).toHaveURL(new RegExp(`${CONTEXT.source}/keys$`));
  await expect(page).toHaveTitle(/^API keys · /);

  // An old, unprefixed path lands on the same screen under the current organisation and project.
  await page.goto("/members");
  await expect(page).toHaveURL(new RegExp(`${CONTEXT.source}/members$`));
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();

  // A link into an organisation the user does not belong to says so plainly.
  await page.goto("/o/org_00000000000000000000000000/p/prj_00000000000000000000000000/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Not your organisation" })).toBeVisible();
});

test("the sign-in lasts across tabs and reloads; a deep link opened in a new browser context lands on its session", async ({
  browser,
}) => {
  const first = await browser.newContext();
  const page = await first.newPage();
  const account = newAccount("Lin Deeplink");
  await signUp(page, account);
  const projectId = await currentProjectId(page);
  const { call, orgId } = await apiAs(page, page.request);
  const session = await call<{ id: string }>("POST", `/v1/projects/${projectId}/sessions`, {
    json: {
      title: "Deep link session",
      charter: "Check shared links",
      environment: "staging",
      timeboxMinutes: 30,
    },
  });
  const link = `/o/${orgId}/p/${projectId}/sessions/${session.id}`;

  // Same browser: another tab and a reload stay signed in (HttpOnly cookie, no token in page storage).
  const tab = await first.newPage();
  await tab.goto(link);
  await expect(tab.getByRole("heading", { level: 1, name: "Deep link session" })).toBeVisible();
  await tab.reload();
  await expect(tab.getByRole("heading", { level: 1, name: "Deep link session" })).toBeVisible();
  expect(await tab.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toMatch(/eyJ/);

  // A fresh browser: sign in on the deep link and land on the same session in the same organisation.
  const second = await browser.newContext();
  const fresh = await second.newPage();
  await fresh.goto(link);
  await fresh.getByLabel("Email").fill(account.email);
  await fresh.getByLabel("Password").fill(account.password);
  await fresh.getByRole("button", { name: "Sign in" }).click();
  await expect(fresh.getByRole("heading", { level: 1, name: "Deep link session" })).toBeVisible();
  await expect(fresh).toHaveURL(new RegExp(`${link}$`));
  await expect(fresh.getByLabel("Organisation", { exact: true })).toHaveValue(orgId);

  // Signing out clears the cookie: the API refuses the old browser afterwards.
  await fresh.getByRole("button", { name: "Sign out" }).click();
  await expect(fresh.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect
    .poll(async () => (await second.cookies()).some((c) => c.name === "shifty_session"))
    .toBe(false);
  await closeAll(first, second);
});
