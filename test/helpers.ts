import { env, exports } from "cloudflare:workers";
import type { Run } from "../shared/contract/ci.ts";

/** Calls the Worker's fetch exactly as a client would. */
export function api(
  path: string,
  init: RequestInit & { token?: string; json?: unknown; orgId?: string } = {},
) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.orgId) headers.set("x-org-id", init.orgId);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(`http://shifty.test${path}`, { ...init, headers, body }));
}

export type Tenant = {
  token: string;
  userId: string;
  orgId: string;
  projectId: string;
  email: string;
  apiKey: string;
};

let counter = 0;

/** Signs up a fresh user + org (each test gets its own tenant) and mints an owner API key. */
export async function newTenant(name = "Acme"): Promise<Tenant> {
  const email = `owner${Date.now()}${counter++}${Math.floor(Math.random() * 1e6)}@example.com`;
  const res = await api("/v1/auth/signup", {
    method: "POST",
    json: { email, password: "correct horse battery", name: `${name} Owner`, orgName: name },
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  const session = (await res.json()) as { token: string; user: { id: string }; orgs: { orgId: string }[] };
  const orgId = session.orgs[0]!.orgId;
  const projects = (await (await api("/v1/projects", { token: session.token })).json()) as {
    items: { id: string }[];
  };
  const keyRes = await api("/v1/api-keys", {
    method: "POST",
    token: session.token,
    json: { name: "test key" },
  });
  const { key } = (await keyRes.json()) as { key: string };
  return {
    token: session.token,
    userId: session.user.id,
    orgId,
    projectId: projects.items[0]!.id,
    email,
    apiKey: key,
  };
}

/** `POST /v1/projects/{projectId}/runs`: uploads a test report as a CI job does (docs/ci-api.md). */
export function postRun(
  t: Tenant,
  body: string,
  query: Record<string, string> = {},
  contentType = "application/xml",
  token = t.apiKey,
) {
  const qs = new URLSearchParams(query).toString();
  return api(`/v1/projects/${t.projectId}/runs${qs ? `?${qs}` : ""}`, {
    method: "POST",
    token,
    headers: { "content-type": contentType },
    body,
  });
}

/** `postRun` that must create the run (anything but 201 fails the test); the new run. */
export async function uploadRun(
  t: Tenant,
  body: string,
  query: Record<string, string> = {},
  contentType?: string,
): Promise<Run> {
  const res = await postRun(t, body, query, contentType);
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as Run;
}

/** The action of the org's (first) audit row about `targetId`, read straight from D1. */
export async function auditActionOn(orgId: string, targetId: string) {
  const row = await env.DB.prepare(
    "SELECT action FROM audit_log WHERE org_id = ? AND target_id = ? ORDER BY seq",
  )
    .bind(orgId, targetId)
    .first<{ action: string }>();
  return row?.action;
}

/** The actions of the org's audit rows whose action is `LIKE` `pattern` ("experiment.%"), oldest first, from D1. */
export async function auditActions(orgId: string, pattern: string) {
  const found = await rows(
    "SELECT action FROM audit_log WHERE org_id = ? AND action LIKE ? ORDER BY seq",
    orgId,
    pattern,
  );
  return found.map((r) => r.action);
}

/** The `n` of a `SELECT count(*) AS n …` query with `binds`, read straight from D1. */
export async function countOf(query: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(query)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** The rows of a query with `binds`, read straight from D1. */
export async function rows(sql: string, ...binds: unknown[]) {
  return (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<Record<string, unknown>>()
  ).results;
}

/** Puts an org on a plan directly (tests only: the API needs a platform admin). */
export async function setPlan(orgId: string, plan: "free" | "pro" | "enterprise") {
  await env.DB.prepare("UPDATE organizations SET plan = ? WHERE id = ?").bind(plan, orgId).run();
}

export async function problem(res: Response) {
  expectProblemHeaders(res);
  return (await res.json()) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
    requestId: string;
    errors?: { path: string; message: string }[];
  };
}

function expectProblemHeaders(res: Response) {
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json"))
    throw new Error(`expected problem+json, got ${type} (${res.status})`);
}
