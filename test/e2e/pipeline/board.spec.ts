import { expect, test } from "@playwright/test";
import { apiAs, closeAll, go, newAccount, signUp, snapshot, watchConsole } from "../dashboard/helpers.ts";

// Needs the lead pipeline (docs/pipeline.md): /v1/leads, /v1/pipeline/board and the PipelineBoard socket.
test("two viewers of the pipeline board see the same card move live", async ({ browser, request }) => {
  const firstContext = await browser.newContext();
  const first = await firstContext.newPage();
  const firstErrors = watchConsole(first);
  await signUp(first, newAccount("Lena Leads"));

  // The second viewer is the same person in another window: the dashboard keeps its session per tab.
  const stored = await first.evaluate(() => ({
    session: sessionStorage.getItem("shifty.session"),
    org: sessionStorage.getItem("shifty.org"),
  }));
  const secondContext = await browser.newContext();
  await secondContext.addInitScript((s) => {
    if (s.session) sessionStorage.setItem("shifty.session", s.session);
    if (s.org) sessionStorage.setItem("shifty.org", s.org);
  }, stored);
  const second = await secondContext.newPage();
  const secondErrors = watchConsole(second);

  // Seed: a threshold no lead reaches, so the card waits in "scored" until a person sends it.
  const { call } = await apiAs(first, request);
  await call("PUT", "/v1/pipeline/settings", { json: { threshold: 100 } });
  await call("POST", "/v1/experiments", {
    json: {
      name: "Launch mail",
      variants: [
        { key: "short", subject: "Hi", body: "Short" },
        { key: "long", subject: "Hello", body: "Long" },
      ],
    },
  });

  await go(first, "Pipeline");
  await second.goto("/pipeline");
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
  for (const page of [first, second]) {
    await expect(page.getByTestId("column-scored").getByTestId(`card-${externalId}`)).toBeVisible();
    await expect(page.getByTestId("count-scored")).toHaveText("1");
  }

  // One viewer forces outreach; both see the card leave "scored" for "contacted".
  await first.getByTestId(`card-${externalId}`).getByRole("button", { name: "Send now" }).click();
  for (const page of [first, second]) {
    await expect(page.getByTestId("column-contacted").getByTestId(`card-${externalId}`)).toBeVisible();
    await expect(page.getByTestId("column-scored").getByTestId(`card-${externalId}`)).toHaveCount(0);
    await expect(page.getByTestId("count-contacted")).toHaveText("1");
    await expect(page.getByTestId("count-scored")).toHaveText("0");
  }
  await expect(first.getByTestId("experiment-posteriors")).toContainText("Launch mail");
  await snapshot(first, "pipeline-board");
  expect(firstErrors).toEqual([]);
  expect(secondErrors).toEqual([]);
  await closeAll(firstContext, secondContext);
});
