import { expect, test } from "@playwright/test";
import { go, postGithubEvent, signUpInProject, snapshot } from "./helpers.ts";

test("AI workflows: runs started by signed webhooks are listed with their outcome and cost", async ({
  page,
  request,
}) => {
  // The local queue consumer picks the events up in its own time; a loaded machine needs the slack.
  test.setTimeout(180_000);
  const { errors, projectId, call } = await signUpInProject(page, request, "Ada Workflows");
  const source = await call<{ id: string; secret: string }>("POST", "/v1/webhook-sources", {
    json: { provider: "github", name: "GitHub", projectId, secret: "e2e-workflow-secret-0123456789" },
  });
  const send = (event: string, payload: unknown) => postGithubEvent(request, source, event, payload);
  // A deployment whose watch window closed quietly, and a pull request of a project without GitHub.
  await send("deployment_status", {
    deployment_status: { state: "success", environment: "production", updated_at: "2026-01-01T10:00:00Z" },
    deployment: { id: 4711, sha: "a".repeat(40), ref: "main" },
    repository: { full_name: "octo/shop" },
  });
  await send("pull_request", {
    action: "opened",
    pull_request: { number: 12, title: "Tidy", head: { ref: "tidy", sha: "b".repeat(40) } },
    repository: { full_name: "octo/shop" },
  });
  await expect
    .poll(
      async () =>
        (await call<{ items: { status: string }[] }>("GET", "/v1/ai/workflow-runs")).items.filter(
          (r) => r.status === "succeeded" || r.status === "skipped",
        ).length,
      { timeout: 120_000 },
    )
    .toBe(2);

  await go(page, "AI workflows");
  const table = page.getByRole("table", { name: "Workflow runs" });
  const deploy = table.getByRole("row").filter({ hasText: "Deploy monitor" });
  await expect(deploy).toContainText("github:4711");
  await expect(deploy).toContainText("succeeded");
  await expect(deploy).toContainText("healthy; 0 signal(s); no notification URL set");
  await expect(deploy).toContainText("$0.00");
  const review = table.getByRole("row").filter({ hasText: "PR test-impact review" });
  await expect(review).toContainText("octo/shop#12");
  await expect(review).toContainText("The project has no GitHub integration");
  await snapshot(page, "ai-workflows");

  // The filter narrows the list to one workflow.
  await page.getByLabel("Workflow", { exact: true }).selectOption("deploy_monitor");
  await expect(table.getByRole("row").filter({ hasText: "PR test-impact review" })).toHaveCount(0);
  await expect(table.getByRole("row").filter({ hasText: "Deploy monitor" })).toHaveCount(1);
  expect(errors).toEqual([]);
});
