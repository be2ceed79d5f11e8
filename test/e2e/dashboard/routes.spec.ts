import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import {
  apiAs,
  closeAll,
  currentProjectId,
  fillSignUp,
  go,
  newAccount,
  signUp,
  submitSignIn,
} from "./helpers.ts";

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
  await submitSignIn(fresh, account);
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

test("a run's link in a second organisation, opened in a new browser and signed in, lands on that run there", async ({
  browser,
}) => {
  test.setTimeout(180_000); // three sign-ups and a report upload on a shared two-core machine
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await signUp(owner, newAccount("Grace Owner"));
  const projectId = await currentProjectId(owner);
  const asOwner = await apiAs(owner, owner.request);
  const report = await readFile(new URL("../../fixtures/ci/jest-junit.xml", import.meta.url), "utf8");
  const run = await asOwner.call<{ id: string }>(
    "POST",
    `/v1/projects/${projectId}/runs?branch=main&commit=d1e2f3a4b5c6d7e8&buildId=b-link`,
    { raw: report, contentType: "application/xml" },
  );
  const member = newAccount("Hedy Member");
  const invite = await asOwner.call<{ token: string }>("POST", "/v1/invites", {
    json: { email: member.email, role: "viewer" },
  });

  // The member has an organisation of their own, which they would land in by default.
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signUp(memberPage, member);
  const asMember = await apiAs(memberPage, memberPage.request);
  await asMember.call("POST", "/v1/invites/accept", { json: { token: invite.token } });

  const link = `/o/${asOwner.orgId}/p/${projectId}/ci/runs/${run.id}`;
  const freshContext = await browser.newContext();
  const fresh = await freshContext.newPage();
  await fresh.goto(link);
  await submitSignIn(fresh, member);
  await expect(fresh.getByRole("table", { name: "Test results of this run" })).toContainText(
    "Cart applies a discount code",
  );
  await expect(fresh).toHaveURL(new RegExp(`${link}$`));
  await expect(fresh.getByLabel("Organisation", { exact: true })).toHaveValue(asOwner.orgId);
  await expect(fresh.getByLabel("Project", { exact: true })).toHaveValue(projectId);
  await closeAll(ownerContext, memberContext, freshContext);
});

test("a click made while the first URL is still being settled wins over the settling redirect", async ({
  page,
}) => {
  await fillSignUp(page, newAccount("Cleo Quickclick"));
  // The moment the project list arrives, the page moves from "/" to the project's sessions. Click
  // Integrations in that very render (a MutationObserver runs before React's effects), as a person
  // clicking on a slow machine can: the click must not be overwritten by the redirect.
  await page.evaluate(() => {
    const observer = new MutationObserver(() => {
      const chosenProject = document.querySelector("#project-switcher option[value^='prj_']");
      const link = [...document.querySelectorAll("nav[aria-label='Main'] a")].find(
        (a) => a.textContent?.trim() === "Integrations",
      );
      if (!chosenProject || !link) return;
      observer.disconnect();
      (link as unknown as { click(): void }).click();
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${CONTEXT.source}/integrations$`));
});
