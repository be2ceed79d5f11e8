import { expect, type Page, test } from "@playwright/test";
import { apiAs, closeAll, go, newAccount, newPerson, signUp, snapshot, submitSignIn } from "./helpers.ts";

/** Signs in through the dashboard's form (a second browser context has its own cookie jar). */
async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto("/");
  await page.getByRole("tab", { name: "Sign in" }).click();
  await submitSignIn(page, account);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

// Needs the lead pipeline (docs/pipeline.md): /v1/leads, /v1/pipeline/board and the PipelineBoard socket.
test("two viewers of the pipeline board see the same card move live", async ({ browser, request }) => {
  // Two sign-ins, seeding and the stages on a shared, loaded machine: slower than one screen's spec.
  test.setTimeout(180_000);
  const { context: firstContext, page: first, errors: firstErrors } = await newPerson(browser);
  const { context: secondContext, page: second, errors: secondErrors } = await newPerson(browser);
  const account = newAccount("Lena Leads");
  await signUp(first, account);

  // Seed: a threshold no lead reaches, so the card waits in "scored" until a person sends it.
  const { call } = await apiAs(first, request);
  await call("PUT", "/v1/pipeline/settings", { json: { threshold: 100 } });
  const experiment = (name: string) =>
    call<{ id: string }>("POST", "/v1/experiments", {
      json: {
        name,
        variants: [
          { key: "short", subject: "Hi", body: "Short" },
          { key: "long", subject: "Hello", body: "Long" },
        ],
      },
    });
  await experiment("Launch mail");
  // More experiments ended after it than a first page of the list holds: the board still shows the active one.
  for (let i = 1; i <= 11; i++)
    await call("POST", `/v1/experiments/${(await experiment(`Ended ${i}`)).id}/stop`);

  // The first viewer opens the board from the navigation; its URL carries /o/{org}/p/{project}.
  await go(first, "Pipeline");
  const boardPath = new URL(first.url()).pathname;
  expect(boardPath).toMatch(/^\/o\/org_[0-9a-z]{26}\/p\/prj_[0-9a-z]{26}\/pipeline$/);
  // The second viewer, in another browser context, opens that link directly.
  await signIn(second, account);
  await second.goto(boardPath);
  await expect(second.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible();
  for (const page of [first, second]) await expect(page.getByTestId("board-live")).toHaveText("live");

  const externalId = `e2e-${Date.now()}`;
  await call("POST", "/v1/leads", {
    json: {
      leads: [
        {
          externalId,
          email: "grace@acme.io",
          name: "Grace QA",
          company: "Acme",
          title: "Head of QA",
          attributes: { employees: 1500, demoRequested: true },
        },
      ],
    },
  });
  // Scoring reaches both boards over the socket, without a reload.
  for (const page of [first, second]) {
    await expect(page.getByTestId("column-scored").getByTestId(`card-${externalId}`)).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId("count-scored")).toHaveText("1");
  }

  // One viewer forces outreach; both see the card leave "scored" for "contacted".
  const secondUrl = second.url();
  await first.getByTestId(`card-${externalId}`).getByRole("button", { name: "Send now" }).click();
  for (const page of [first, second]) {
    await expect(page.getByTestId("column-contacted").getByTestId(`card-${externalId}`)).toBeVisible();
    await expect(page.getByTestId("column-scored").getByTestId(`card-${externalId}`)).toHaveCount(0);
    await expect(page.getByTestId("count-contacted")).toHaveText("1");
    await expect(page.getByTestId("count-scored")).toHaveText("0");
  }
  // The second viewer saw it through the socket: same page, no navigation.
  expect(second.url()).toBe(secondUrl);
  await expect(first.getByTestId("experiment-posteriors")).toContainText("Launch mail");
  await snapshot(first, "pipeline-board");
  expect(firstErrors).toEqual([]);
  expect(secondErrors).toEqual([]);
  await closeAll(firstContext, secondContext);
});
