import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { WorkflowRun } from "../../shared/contract/ai.ts";
import { createDb } from "../../shared/db/client.ts";
import { api, type Tenant } from "../helpers.ts";
import { poll } from "../webhooks/helpers.ts";

export const db = () => createDb(env.DB);

/** Retries without waiting: the `retry` of an AI task's deps in tests. */
export const noSleep = { sleep: async () => {} };

/** An AI task of the org's failure triage about `subject`, with a cluster list (and `vars`) to fill in. */
export const triageTask = (t: Tenant, subject: string, vars: Record<string, string> = {}) => ({
  orgId: t.orgId,
  workflow: "failure_triage" as const,
  subject,
  vars: { clusters: "- TimeoutError ×3", ...vars },
});

/** A JUnit report whose failing cases share one failure signature (so they form one cluster). */
export function junitReport(cases: Record<string, { file: string; fail?: boolean }>): string {
  const body = Object.entries(cases)
    .map(
      ([name, c]) =>
        `<testcase classname="shop" name="${name}" file="${c.file}" time="0.1">${
          c.fail
            ? `<failure message="Timeout 5000ms exceeded waiting for locator('#pay')" type="TimeoutError">at pay (${c.file}:1:1)</failure>`
            : ""
        }</testcase>`,
    )
    .join("");
  return `<?xml version="1.0"?><testsuites><testsuite name="shop">${body}</testsuite></testsuites>`;
}

export async function putAiSettings(t: Tenant, body: Record<string, unknown>) {
  const res = await api("/v1/ai/settings", { method: "PUT", token: t.apiKey, json: body });
  if (res.status !== 200) throw new Error(`ai settings: ${res.status} ${await res.text()}`);
  return res.json();
}

/** GET /v1/ai/workflow-runs of one workflow (checked to answer 200): its runs, newest first. */
export async function workflowRuns(t: Tenant, workflow: string): Promise<WorkflowRun[]> {
  const res = await api(`/v1/ai/workflow-runs?workflow=${workflow}`, { token: t.apiKey });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: WorkflowRun[] }).items;
}

/** Polls the workflow's runs until the newest `n` are all done (neither queued nor running). */
export function waitForRuns(t: Tenant, workflow: string, n = 1) {
  return poll(
    () => workflowRuns(t, workflow),
    (items) => items.length >= n && items.slice(0, n).every((r) => !["queued", "running"].includes(r.status)),
    20_000,
  );
}

export async function usage(t: Tenant) {
  const res = await api("/v1/ai/usage", { token: t.apiKey });
  if (res.status !== 200) throw new Error(`ai usage: ${res.status} ${await res.text()}`);
  return (await res.json()) as { calls: number; tokensIn: number; tokensOut: number; costUsd: number };
}

/** A GitHub `workflow_run` webhook body: run `id` of octo/shop completed with a failure at `headSha`. */
export function failedWorkflowRun(id: number, headSha: string, run: Record<string, unknown> = {}) {
  return {
    action: "completed",
    workflow_run: {
      id,
      status: "completed",
      conclusion: "failure",
      head_sha: headSha,
      updated_at: new Date().toISOString(),
      ...run,
    },
    repository: { full_name: "octo/shop" },
  };
}
