import { expect, test } from "@playwright/test";
import { closeAll, go, newAccount, newPerson, signUp, signUpNew, snapshot } from "./helpers.ts";

// A real 64×40 two-band PNG: the server sniffs the bytes and the browser must decode it.
const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAEAAAAAoCAIAAADBrGu+AAAARklEQVR42u3PMQ0AIAwAsImYJl5comGG8DEPcC1pUgONve5oISAgICAgICAgICAgICAgICAgICDwEMg6owkICAgICAgIfGgTyqzTUo7jGgAAAABJRU5ErkJggg==",
  "base64",
);

// Needs the sessions backend : /v1/projects/{id}/sessions, /v1/sessions/{id}/token and the
// SessionRoom WebSocket at /v1/sessions/{id}/live.
test("two people in one live room: steps and notes from one appear live for the other", async ({
  browser,
}) => {
  const { context: hostContext, page: host, errors: hostErrors } = await newPerson(browser);
  const { context: guestContext, page: guest, errors: guestErrors } = await newPerson(browser);
  host.on("dialog", (d) => d.accept());

  // The host signs up and invites the guest, who signs up and accepts through the invite link.
  const hostAccount = newAccount("Hedy Host");
  const guestAccount = newAccount("Alan Guest");
  await signUp(host, hostAccount);
  await go(host, "Members");
  await host.getByLabel("Email").fill(guestAccount.email);
  await host.getByLabel("Role").selectOption("member");
  await host.getByRole("button", { name: "Send invite" }).click();
  const link = await host.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/join\?token=inv_/);

  await signUp(guest, guestAccount);
  await guest.goto(new URL(link).pathname + new URL(link).search);
  await guest.getByRole("button", { name: "Accept invite" }).click();
  await expect(guest.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await expect(guest.getByLabel("Organisation", { exact: true }).locator("option:checked")).toHaveText(
    hostAccount.orgName,
  );

  // The host starts a session and lands in its room.
  await go(host, "Sessions");
  await host.getByLabel("Title").fill("Checkout on mobile");
  await host.getByLabel("Charter").fill("Explore paying with a saved card to find edge cases");
  await host.getByLabel("Environment").fill("staging");
  await host.getByRole("button", { name: "Start session" }).click();
  await expect(host.getByRole("heading", { level: 1, name: "Checkout on mobile" })).toBeVisible();
  await expect(host.getByTestId("connection")).toHaveText(/Live/);
  const roomPath = new URL(host.url()).pathname;
  expect(roomPath).toMatch(/^\/o\/org_[0-9a-z]{26}\/p\/prj_[0-9a-z]{26}\/sessions\/ses_[0-9a-z]{26}$/);

  // The guest finds it in the host organisation's list (the URL names the org) and joins.
  await guest.goto(roomPath.replace(/\/sessions\/ses_[0-9a-z]+$/, "/sessions"));
  await guest.getByRole("link", { name: "Checkout on mobile" }).click();
  await expect(guest.getByTestId("connection")).toHaveText(/Live/);
  for (const page of [host, guest]) {
    await expect(page.getByTestId("presence")).toContainText(hostAccount.name);
    await expect(page.getByTestId("presence")).toContainText(guestAccount.name);
  }

  // The host adds a step and a note…
  await host.getByLabel("Action").fill("click");
  await host.getByLabel(/Target/).fill("#pay-now");
  await host.getByRole("button", { name: "Add step" }).click();
  await host.getByRole("tab", { name: "Note" }).click();
  await host.getByRole("textbox", { name: "Note" }).fill("Pay button overlaps the footer on small screens");
  await host.getByRole("button", { name: "Add note" }).click();

  // …and the guest sees both, live, in order, attributed to the host.
  const guestTimeline = guest.getByRole("log", { name: "Session timeline" });
  const step = guestTimeline.locator('[data-kind="step"]');
  const note = guestTimeline.locator('[data-kind="note"]');
  await expect(step).toContainText("Click #pay-now");
  await expect(step).toContainText(hostAccount.name);
  await expect(note).toContainText("Pay button overlaps the footer on small screens");
  const seqs = await guestTimeline
    .locator("li[data-seq]")
    .evaluateAll((items) => items.map((i) => Number(i.getAttribute("data-seq"))));
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

  // The guest answers back with a finding; the host sees it with its severity.
  await guest.getByRole("tab", { name: "Finding" }).click();
  await guest.getByLabel("Severity").selectOption("major");
  await guest.getByLabel("Title").fill("Footer covers the pay button");
  await guest.getByRole("button", { name: "Add finding" }).click();
  const hostFinding = host.getByRole("log", { name: "Session timeline" }).locator('[data-kind="finding"]');
  await expect(hostFinding).toContainText("Footer covers the pay button");
  await expect(hostFinding).toContainText("major");

  // A question to everyone; the guest answers it in place and the host sees the answer under it.
  await host.getByRole("tab", { name: "Ask" }).click();
  await host.getByLabel("Question").fill("Is the footer sticky on purpose?");
  await host.getByRole("button", { name: "Ask", exact: true }).click();
  const guestPrompt = guestTimeline.locator('[data-kind="prompt"]');
  await expect(guestPrompt).toContainText("Is the footer sticky on purpose?");
  await guestPrompt.getByRole("textbox", { name: /Answer question/ }).fill("Yes, since the redesign");
  await guestPrompt.getByRole("button", { name: "Answer" }).click();
  await expect(
    host.getByRole("log", { name: "Session timeline" }).locator('[data-kind="prompt"]'),
  ).toContainText("Yes, since the redesign");

  // A screenshot upload becomes a timeline event both see, fetched with credentials into an <img>.
  await host.getByRole("tab", { name: "Screenshot" }).click();
  await host
    .getByLabel(/Image/)
    .setInputFiles({ name: "footer.png", mimeType: "image/png", buffer: TINY_PNG });
  await host.getByRole("button", { name: "Upload" }).click();
  await expect(host.getByText("Uploaded footer.png")).toBeVisible();
  await expect(guestTimeline.locator('[data-kind="screenshot"] img')).toBeVisible();
  await snapshot(host, "live-room");

  // A tab that reloads gets the whole history back from the room.
  await guest.reload();
  await expect(guest.getByTestId("connection")).toHaveText(/Live/);
  await expect(guestTimeline.locator("li[data-seq]")).toHaveCount(5);

  // Ending the session closes the room for everyone.
  await host.getByRole("button", { name: "End session" }).click();
  await expect(guest.getByTestId("connection")).toHaveText(/Session ended/);
  await expect(guest.getByRole("button", { name: "Add step" })).toHaveCount(0);
  await expect(host.getByRole("log", { name: "Session timeline" }).locator("li[data-seq]")).toHaveCount(5);

  expect(hostErrors).toEqual([]);
  expect(guestErrors).toEqual([]);
  await closeAll(hostContext, guestContext);
});

test("the session export downloads Markdown", async ({ page }) => {
  const { errors } = await signUpNew(page, "Katherine Export");
  await page.getByLabel("Title").fill("Search filters");
  await page.getByLabel("Charter").fill("Explore search facets");
  await page.getByRole("button", { name: "Start session" }).click();
  await expect(page.getByTestId("connection")).toHaveText(/Live/);
  await page.getByRole("tab", { name: "Note" }).click();
  await page.getByRole("textbox", { name: "Note" }).fill("Facet counts lag behind results");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("log", { name: "Session timeline" })).toContainText("Facet counts lag");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export Markdown" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.md$/);
  const { readFile } = await import("node:fs/promises");
  const markdown = await readFile(await download.path(), "utf8");
  expect(markdown).toContain("Search filters");
  expect(markdown).toContain("Facet counts lag behind results");
  expect(errors).toEqual([]);
});
