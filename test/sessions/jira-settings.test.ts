import { afterEach, describe, expect, it, vi } from "vitest";
import { api, newTenant, problem, type Tenant } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";

/** Removing and testing a project's Jira settings (docs/sessions-api.md, "Jira"). */

const settings = {
  host: "acme.atlassian.net",
  email: "qa@acme.test",
  apiToken: "atl-secret-9876",
  projectKey: "QA",
};

const jiraPath = (t: Tenant) => `/v1/projects/${t.projectId}/integrations/jira`;

async function configure(t: Tenant) {
  const res = await api(jiraPath(t), { method: "PUT", token: t.apiKey, json: settings });
  expect(res.status).toBe(200);
}

type Seen = { method: string; url: string; authorization: string | null };

/** A fake Jira Cloud answering `myself` and `project/{key}` like the real one, recording each call. */
function fakeJira(answers: { myself?: number; project?: number } = {}) {
  const seen: Seen[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push({ method: req.method, url: req.url, authorization: req.headers.get("authorization") });
    const path = new URL(req.url).pathname;
    if (path === "/rest/api/3/myself") {
      if ((answers.myself ?? 200) !== 200)
        return Response.json({ errorMessages: ["Client must be authenticated"] }, { status: answers.myself });
      return Response.json({ accountId: "5b10", displayName: "QA Bot", emailAddress: "qa@acme.test" });
    }
    if (path === "/rest/api/3/project/QA") {
      if ((answers.project ?? 200) !== 200)
        return Response.json({ errorMessages: ["No project could be found"] }, { status: answers.project });
      return Response.json({ id: "10000", key: "QA", name: "Quality" });
    }
    return Response.json({ errorMessages: ["unexpected"] }, { status: 418 });
  });
  return seen;
}

afterEach(() => vi.restoreAllMocks());

/** POST …/integrations/jira/test: Shifty signs in to Jira with the stored settings and reads the project. */
const testJira = (t: Tenant, token = t.apiKey) => api(`${jiraPath(t)}/test`, { method: "POST", token });
type JiraTest = { ok: boolean; status: number; message: string };

describe("POST /v1/projects/{projectId}/integrations/jira/test", () => {
  it("signs in with the stored token and finds the project, writing nothing", async () => {
    const t = await newTenant();
    await configure(t);
    const seen = fakeJira();
    const res = await testJira(t);
    expect(res.status).toBe(200);
    const body = (await res.json()) as JiraTest;
    expect(body).toMatchObject({ ok: true, status: 200 });
    expect(body.message).toContain("QA Bot");
    expect(body.message).toContain("Quality");
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET https://acme.atlassian.net/rest/api/3/myself",
      "GET https://acme.atlassian.net/rest/api/3/project/QA",
    ]);
    expect(seen[0]!.authorization).toBe(`Basic ${btoa("qa@acme.test:atl-secret-9876")}`);
  });

  it("reports a refused sign-in or a missing project as ok: false with Jira's status", async () => {
    const t = await newTenant();
    await configure(t);
    fakeJira({ myself: 401 });
    const refused = (await (await testJira(t)).json()) as JiraTest;
    expect(refused).toMatchObject({ ok: false, status: 401 });
    expect(refused.message).toContain("signing in failed");
    vi.restoreAllMocks();
    fakeJira({ project: 404 });
    const missing = (await (await testJira(t)).json()) as JiraTest;
    expect(missing).toMatchObject({ ok: false, status: 404 });
    expect(missing.message).toContain("project QA not found");
  });

  it("reports an unreachable Jira as ok: false without a status", async () => {
    const t = await newTenant();
    await configure(t);
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    const res = await testJira(t);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, status: null });
  });

  it("is a 404 before Jira is configured, and needs integrations:manage", async () => {
    const t = await newTenant();
    const before = await testJira(t);
    expect(before.status).toBe(404);
    expect((await problem(before)).detail).toContain("Jira integration");
    await configure(t);
    const { key } = await mintKey(t.token, ["sessions:read", "sessions:write"], "sessions only");
    expect((await testJira(t, key)).status).toBe(403);
  });
});

describe("DELETE /v1/projects/{projectId}/integrations/jira", () => {
  it("removes the settings (audited); they can be configured again", async () => {
    const t = await newTenant();
    await configure(t);
    const removed = await api(jiraPath(t), { method: "DELETE", token: t.apiKey });
    expect(removed.status).toBe(204);
    expect((await api(jiraPath(t), { token: t.apiKey })).status).toBe(404);
    expect((await api(jiraPath(t), { method: "DELETE", token: t.apiKey })).status).toBe(404);
    const audit = (await (
      await api("/v1/audit?action=integration.jira.remove", { token: t.apiKey })
    ).json()) as { items: { action: string; targetId: string; changes: Record<string, unknown> }[] };
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      targetId: t.projectId,
      changes: { host: "acme.atlassian.net", projectKey: "QA" },
    });
    // Configuring again works: removal leaves nothing behind that blocks it.
    await configure(t);
    expect((await api(jiraPath(t), { token: t.apiKey })).status).toBe(200);
  });

  it("another tenant's project is a 404 and its settings stay", async () => {
    const t = await newTenant();
    const intruder = await newTenant("Intruder");
    await configure(t);
    const res = await api(jiraPath(t), { method: "DELETE", token: intruder.apiKey });
    expect(res.status).toBe(404);
    expect((await api(jiraPath(t), { token: t.apiKey })).status).toBe(200);
  });
});

describe("JiraClient with a base URL (JIRA_API_URL, local fakes only)", () => {
  it("sends every call to the base instead of https://{host}", async () => {
    const { JiraClient } = await import("../../shared/jira/client.ts");
    const urls: string[] = [];
    const fetchFn = (async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return Response.json({ displayName: "Bot", name: "Quality" });
    }) as typeof fetch;
    const client = new JiraClient(settings, fetchFn, "http://127.0.0.1:9999/");
    expect(await client.checkAccess("QA")).toEqual({ user: "Bot", project: { key: "QA", name: "Quality" } });
    expect(urls).toEqual([
      "http://127.0.0.1:9999/rest/api/3/myself",
      "http://127.0.0.1:9999/rest/api/3/project/QA",
    ]);
  });
});
