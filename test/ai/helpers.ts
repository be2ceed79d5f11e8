import { env } from "cloudflare:workers";
import { createDb } from "../../shared/db/client.ts";
import { api, type Tenant } from "../helpers.ts";

export const db = () => createDb(env.DB);

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
