import { describe, expect, it } from "vitest";
import { PR_COMMENT_MARKER } from "../../shared/ai/workflows/pr-review.ts";
import { api, newTenant, uploadRun } from "../helpers.ts";
import { createSource, githubSignature, hexHmac, ingest, poll } from "../webhooks/helpers.ts";
import { installFakeWorld, NOTIFY_URL, OPENAI_HOST } from "./fakes.ts";
import { failedWorkflowRun, junitReport, putAiSettings, waitForRuns, workflowRuns } from "./helpers.ts";

type Run = {
  id: string;
  workflow: string;
  status: string;
  outcome: string | null;
  targetUrl: string | null;
  costUsd: number;
  tokens: number;
};

const SECRET = "workflow-webhook-secret-0123456789";
let delivery = 0;

function sendGithub(source: { url: string }, event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return ingest(source.url, body, {
    "x-github-event": event,
    "x-github-delivery": `wf-${Date.now()}-${delivery++}`,
    "x-hub-signature-256": githubSignature(SECRET, body),
  });
}

function sendSentry(source: { url: string }, resource: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return ingest(source.url, body, {
    "sentry-hook-resource": resource,
    "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
    "request-id": `sentry-${Date.now()}-${delivery++}`,
    "sentry-hook-signature": hexHmac(SECRET, body),
  });
}

const world = installFakeWorld();

const pullRequest = (action: string, sha: string) => ({
  action,
  number: 7,
  pull_request: {
    number: 7,
    title: "Faster checkout",
    state: "open",
    head: { ref: "fast-checkout", sha },
    user: { login: "octocat" },
    html_url: "https://github.com/octo/shop/pull/7",
    updated_at: new Date().toISOString(),
  },
  repository: { full_name: "octo/shop" },
});

describe("AI workflows, from the signed webhook to the outbound call", () => {
  it("PR test-impact review: pull_request → affected tests from CI data → one GitHub comment, updated", async () => {
    const t = await newTenant();
    await uploadRun(
      t,
      junitReport({
        "adds to cart": { file: "src/checkout/cart.spec.ts", fail: true },
        "home renders": { file: "tests/home.spec.ts" },
      }),
      { commit: "b".repeat(40) },
    );
    const gh = await api(`/v1/projects/${t.projectId}/integrations/github`, {
      method: "PUT",
      token: t.apiKey,
      json: { owner: "octo", repo: "shop", token: "ghp_faketoken0123456789abcdef" },
    });
    expect(gh.status).toBe(200);
    const source = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    expect((await sendGithub(source, "pull_request", pullRequest("opened", "c".repeat(40)))).status).toBe(
      202,
    );
    const [run] = await waitForRuns(t, "pr_review");
    expect(run).toMatchObject({ status: "succeeded" });
    expect(run?.outcome).toMatch(/risk high; 1 affected test\(s\); comment created/);
    expect(run?.targetUrl).toMatch(/^https:\/\/github.com\/octo\/shop\/pull\/7#c\d+$/);
    expect(run?.costUsd).toBeGreaterThan(0);
    expect(world().comments).toHaveLength(1);
    const comment = world().comments[0]!.body;
    expect(comment).toContain(PR_COMMENT_MARKER);
    expect(comment).toContain("adds to cart");
    expect(comment).not.toContain("home renders");
    expect(comment).toContain(world().answer);
    expect(world().to(OPENAI_HOST)).toHaveLength(1);

    // A new push to the same PR updates that comment; it does not add a second one.
    expect(
      (await sendGithub(source, "pull_request", pullRequest("synchronize", "d".repeat(40)))).status,
    ).toBe(202);
    const after = await waitForRuns(t, "pr_review", 2);
    expect(after[0]?.outcome).toMatch(/comment updated/);
    expect(world().comments).toHaveLength(1);
    expect(world().seen.filter((s) => s.method === "PATCH")).toHaveLength(1);
    // Another organisation sees none of these runs.
    expect(await workflowRuns(await newTenant(), "pr_review")).toHaveLength(0);
  });

  it("deploy monitor: a successful deployment with a failing gate after it → 'at risk' notification", async () => {
    const t = await newTenant();
    await putAiSettings(t, { notifyUrl: NOTIFY_URL, deployWindowMinutes: 5 });
    await uploadRun(t, junitReport({ pay: { file: "tests/pay.spec.ts", fail: true } }), {
      commit: "e".repeat(40),
    });
    const source = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    const deployedAt = new Date(Date.now() - 10 * 60_000).toISOString();
    const res = await sendGithub(source, "deployment_status", {
      deployment_status: { state: "success", environment: "production", updated_at: deployedAt },
      deployment: { id: 4242, sha: "e".repeat(40), ref: "main", environment: "production" },
      repository: { full_name: "octo/shop" },
    });
    expect(res.status).toBe(202);
    const [run] = await waitForRuns(t, "deploy_monitor");
    expect(run).toMatchObject({ status: "succeeded" });
    expect(run?.outcome).toMatch(/^at risk; 1 signal\(s\); notified/);
    const sent = world().to(new URL(NOTIFY_URL).host);
    expect(sent).toHaveLength(1);
    expect(String(sent[0]?.body?.text)).toMatch(/is at risk\.\n• CI run run_\w+ failed its quality gate/);
    expect(sent[0]?.body?.shifty).toMatchObject({ workflow: "deploy_monitor", verdict: "at risk" });
  });

  it("deploy monitor: a quiet deployment is watched until its window closes", async () => {
    const t = await newTenant();
    await putAiSettings(t, { notifyUrl: NOTIFY_URL, deployWindowMinutes: 30 });
    const source = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    await sendGithub(source, "deployment_status", {
      deployment_status: {
        state: "success",
        environment: "production",
        updated_at: new Date().toISOString(),
      },
      deployment: { id: 777, sha: "f".repeat(40), ref: "main" },
      repository: { full_name: "octo/quiet" },
    });
    const [run] = await waitForRuns(t, "deploy_monitor");
    expect(run?.status).toBe("watching");
    expect(world().to(new URL(NOTIFY_URL).host)).toHaveLength(0);
  });

  it("incident → Jira: a Sentry alert opens one issue (ADF, suspected deploy), a repeat does not, resolve comments", async () => {
    const t = await newTenant();
    const jira = await api(`/v1/projects/${t.projectId}/integrations/jira`, {
      method: "PUT",
      token: t.apiKey,
      json: {
        host: "acme.atlassian.net",
        email: "ops@acme.test",
        apiToken: "jira-token-123",
        projectKey: "OPS",
      },
    });
    expect(jira.status).toBe(200);
    const gh = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    await sendGithub(gh, "deployment_status", {
      deployment_status: {
        state: "success",
        environment: "production",
        updated_at: new Date(Date.now() - 60_000).toISOString(),
      },
      deployment: { id: 99, sha: "1".repeat(40), ref: "main" },
      repository: { full_name: "octo/shop" },
    });
    const sentry = await createSource(t, { provider: "sentry", secret: SECRET, projectId: t.projectId });
    const issue = (status: string) => ({
      action: status,
      data: {
        issue: {
          id: "5551",
          title: "TypeError: cart is undefined",
          level: "error",
          web_url: "https://sentry.io/issues/5551",
        },
      },
    });
    expect((await sendSentry(sentry, "issue", { ...issue("created") })).status).toBe(202);
    const [run] = await waitForRuns(t, "incident_jira");
    expect(run).toMatchObject({
      status: "succeeded",
      outcome: "opened OPS-1",
      targetUrl: "https://acme.atlassian.net/browse/OPS-1",
    });
    const created = world().seen.filter((s) => s.url.pathname === "/rest/api/3/issue");
    expect(created).toHaveLength(1);
    const fields = created[0]?.body?.fields as {
      summary: string;
      project: { key: string };
      description: unknown;
    };
    expect(fields.project.key).toBe("OPS");
    expect(fields.summary).toBe("[error] TypeError: cart is undefined");
    expect(JSON.stringify(fields.description)).toContain("1111111111111111111111111111111111111111");

    // The same incident again: no second issue.
    await sendSentry(sentry, "issue", issue("created"));
    const again = await waitForRuns(t, "incident_jira", 2);
    expect(again[0]).toMatchObject({ status: "skipped", outcome: "duplicate: OPS-1" });
    expect(world().seen.filter((s) => s.url.pathname === "/rest/api/3/issue")).toHaveLength(1);

    // Resolved: a comment on the same issue.
    await sendSentry(sentry, "issue", issue("resolved"));
    const resolved = await waitForRuns(t, "incident_jira", 3);
    expect(resolved[0]).toMatchObject({ status: "succeeded", outcome: "resolution noted on OPS-1" });
    expect(world().seen.filter((s) => s.url.pathname === "/rest/api/3/issue/OPS-1/comment")).toHaveLength(1);
  });

  it("failure triage: a failed workflow_run → clusters explained with a fix → notification", async () => {
    const t = await newTenant();
    await putAiSettings(t, { notifyUrl: NOTIFY_URL });
    await uploadRun(
      t,
      junitReport({
        pay: { file: "tests/pay.spec.ts", fail: true },
        ship: { file: "tests/ship.spec.ts", fail: true },
      }),
      { commit: "2".repeat(40) },
    );
    const source = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    await sendGithub(
      source,
      "workflow_run",
      failedWorkflowRun(31337, "2".repeat(40), { name: "e2e", head_branch: "main" }),
    );
    const [run] = await waitForRuns(t, "failure_triage");
    expect(run?.status).toBe("succeeded");
    expect(run?.outcome).toMatch(/^1 cluster\(s\), top: The step waited longer than its limit/);
    const sent = world().to(new URL(NOTIFY_URL).host);
    expect(sent).toHaveLength(1);
    expect(String(sent[0]?.body?.text)).toContain("explicit wait");
    expect(String(sent[0]?.body?.text)).toContain(world().answer);
    expect(run?.tokens).toBeGreaterThan(0);
  });

  it("a workflow whose outbound call fails is retried and keeps the error on its run", async () => {
    const t = await newTenant();
    await putAiSettings(t, { notifyUrl: "https://down.example.com/hook" });
    await uploadRun(t, junitReport({ pay: { file: "tests/pay.spec.ts", fail: true } }));
    const source = await createSource(t, { provider: "github", secret: SECRET, projectId: t.projectId });
    await sendGithub(source, "workflow_run", failedWorkflowRun(1, "3".repeat(40)));
    const [run] = await poll(
      () => workflowRuns(t, "failure_triage"),
      (items) => (items[0] as (Run & { error?: string }) | undefined)?.error != null,
      20_000,
    );
    expect((run as Run & { error: string }).error).toMatch(/no route to down.example.com/);
    expect(run?.status).toBe("queued");
  });
});
