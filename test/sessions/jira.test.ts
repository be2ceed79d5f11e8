import { afterEach, describe, expect, it, vi } from "vitest";
import { doc, paragraph, text } from "../../shared/jira/adf.ts";
import { JiraClient, JiraError } from "../../shared/jira/client.ts";
import { api, newTenant, problem } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";
import { type Frame, newSession, postEvent, uploadScreenshot } from "./room-client.ts";

type Captured = { url: string; method: string; headers: Headers; body: Frame };

/** A fake Jira Cloud: checks what the real API requires and answers like it does. */
function fakeJira(options: { status?: number; key?: string; errors?: Frame } = {}) {
  const calls: Captured[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const body = (await req.json()) as Frame;
    calls.push({ url: req.url, method: req.method, headers: req.headers, body });
    if (options.status && options.status >= 400) {
      return Response.json(options.errors ?? { errorMessages: ["nope"], errors: {} }, {
        status: options.status,
      });
    }
    const key = options.key ?? "QA-101";
    return Response.json(
      { id: "10001", key, self: `https://acme.atlassian.net/rest/api/3/issue/10001` },
      { status: 201 },
    );
  };
  return { calls, fetchFn: fetchFn as typeof fetch };
}

/** Structural ADF check: what Jira's validator rejects (missing version, empty text, unknown nodes). */
function assertValidAdf(node: Frame, top = true) {
  if (top) {
    expect(node).toMatchObject({ type: "doc", version: 1 });
    expect(Array.isArray(node.content)).toBe(true);
  }
  const known = [
    "doc",
    "paragraph",
    "heading",
    "text",
    "bulletList",
    "orderedList",
    "listItem",
    "codeBlock",
    "rule",
    "hardBreak",
  ];
  expect(known).toContain(node.type);
  if (node.type === "text") {
    expect(typeof node.text).toBe("string");
    expect(node.text.length).toBeGreaterThan(0);
    for (const m of node.marks ?? []) {
      expect(["strong", "em", "code", "link"]).toContain(m.type);
      if (m.type === "link") expect(m.attrs.href).toMatch(/^https?:\/\//);
    }
  }
  if (node.type === "heading") expect(node.attrs.level).toBeGreaterThanOrEqual(1);
  if (node.type === "bulletList" || node.type === "orderedList") {
    expect(node.content.length).toBeGreaterThan(0);
    for (const item of node.content) expect(item.type).toBe("listItem");
  }
  for (const child of node.content ?? []) assertValidAdf(child, false);
}

afterEach(() => vi.restoreAllMocks());

describe("Jira client", () => {
  it("POSTs /rest/api/3/issue with Basic auth and an ADF description", async () => {
    const jira = fakeJira({ key: "QA-7" });
    const client = new JiraClient(
      { host: "acme.atlassian.net", email: "qa@acme.test", apiToken: "tok-123" },
      jira.fetchFn,
    );
    const issue = await client.createIssue({
      projectKey: "QA",
      issueType: "Bug",
      summary: "Broken",
      description: doc(paragraph(text("hello"))),
      labels: ["shifty"],
    });
    expect(issue).toEqual({
      id: "10001",
      key: "QA-7",
      self: "https://acme.atlassian.net/rest/api/3/issue/10001",
      url: "https://acme.atlassian.net/browse/QA-7",
    });
    const [call] = jira.calls;
    expect(call!.url).toBe("https://acme.atlassian.net/rest/api/3/issue");
    expect(call!.method).toBe("POST");
    expect(call!.headers.get("authorization")).toBe(`Basic ${btoa("qa@acme.test:tok-123")}`);
    expect(call!.headers.get("content-type")).toBe("application/json");
    expect(call!.body).toEqual({
      fields: {
        project: { key: "QA" },
        issuetype: { name: "Bug" },
        summary: "Broken",
        description: {
          type: "doc",
          version: 1,
          content: [{ type: "paragraph", content: [{ type: "text", text: "hello" }] }],
        },
        labels: ["shifty"],
      },
    });
  });

  it("surfaces Jira's error messages", async () => {
    const jira = fakeJira({
      status: 400,
      errors: { errorMessages: [], errors: { issuetype: "Specify a valid issue type" } },
    });
    const client = new JiraClient(
      { host: "acme.atlassian.net", email: "a@b.c", apiToken: "t" },
      jira.fetchFn,
    );
    const error = await client
      .createIssue({ projectKey: "QA", issueType: "Nope", summary: "x", description: doc() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraError);
    expect((error as JiraError).status).toBe(400);
    expect((error as JiraError).messages).toEqual(["issuetype: Specify a valid issue type"]);
  });

  it("refuses hosts that are not DNS names (no SSRF to IPs or localhost)", () => {
    for (const host of [
      "127.0.0.1",
      "localhost",
      "acme.atlassian.net:8080",
      "acme.atlassian.net/x",
      "http://x.y",
    ]) {
      expect(() => new JiraClient({ host, email: "a@b.c", apiToken: "t" })).toThrow();
    }
  });
});

describe("Jira integration routes", () => {
  const settings = {
    host: "https://acme.atlassian.net/",
    email: "qa@acme.test",
    apiToken: "atl-secret-9876",
    projectKey: "QA",
  };

  it("stores the token encrypted and returns it masked", async () => {
    const t = await newTenant();
    const put = await api(`/v1/projects/${t.projectId}/integrations/jira`, {
      method: "PUT",
      token: t.apiKey,
      json: settings,
    });
    expect(put.status).toBe(200);
    const body = await put.json();
    expect(body).toMatchObject({
      host: "acme.atlassian.net",
      email: "qa@acme.test",
      apiToken: "********9876",
      projectKey: "QA",
      issueType: "Bug",
    });
    const get = await api(`/v1/projects/${t.projectId}/integrations/jira`, { token: t.apiKey });
    expect(await get.json()).toMatchObject({ apiToken: "********9876", host: "acme.atlassian.net" });
    const { env } = await import("cloudflare:workers");
    const row = await env.DB.prepare("SELECT api_token_sealed FROM jira_integrations WHERE project_id = ?")
      .bind(t.projectId)
      .first<{ api_token_sealed: string }>();
    expect(row!.api_token_sealed).toMatch(/^v1\./);
    expect(row!.api_token_sealed).not.toContain("atl-secret");
  });

  it("validates settings and needs integrations:manage; other tenants get 404", async () => {
    const t = await newTenant();
    const intruder = await newTenant("Intruder");
    for (const bad of [
      { ...settings, host: "10.0.0.1" },
      { ...settings, projectKey: "qa lower" },
      { ...settings, email: "not-an-email" },
      { ...settings, apiToken: undefined },
    ]) {
      const res = await api(`/v1/projects/${t.projectId}/integrations/jira`, {
        method: "PUT",
        token: t.apiKey,
        json: bad,
      });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      await problem(res);
    }
    const writer = (await mintKey(t.token, ["sessions:write", "sessions:read"], "w")).key;
    expect(
      (
        await api(`/v1/projects/${t.projectId}/integrations/jira`, {
          method: "PUT",
          token: writer,
          json: settings,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api(`/v1/projects/${t.projectId}/integrations/jira`, {
          method: "PUT",
          token: intruder.apiKey,
          json: settings,
        })
      ).status,
    ).toBe(404);
    expect((await api(`/v1/projects/${t.projectId}/integrations/jira`, { token: t.apiKey })).status).toBe(
      404,
    );
  });

  it("exports a finding as a Jira issue with ADF steps, notes and screenshot links", async () => {
    const t = await newTenant();
    await api(`/v1/projects/${t.projectId}/integrations/jira`, {
      method: "PUT",
      token: t.apiKey,
      json: settings,
    });
    const s = await newSession(t, { url: "https://shop.example/checkout" });
    const post = async (json: unknown) => (await (await postEvent(t.apiKey, s.id, json)).json()) as Frame;
    const step = await post({
      type: "step",
      action: "click",
      target: { tag: "button", attributes: { id: "pay" } },
    });
    await post({ type: "note", text: "spinner spins forever" });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]);
    const shot = (await (await uploadScreenshot(s.id, t.apiKey, png)).json()) as { id: string };
    const finding = await post({
      type: "finding",
      severity: "major",
      title: "Payment hangs",
      description: "line 1\nline 2",
      stepSeqs: [step.seq],
    });
    const findingId = finding.data.findingId as string;
    const exportFinding = () =>
      api(`/v1/sessions/${s.id}/findings/${findingId}/jira`, { method: "POST", token: t.apiKey });

    const jira = fakeJira({ key: "QA-42" });
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(jira.fetchFn);
    const res = await exportFinding();
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ issueKey: "QA-42", url: "https://acme.atlassian.net/browse/QA-42" });
    expect(jira.calls).toHaveLength(1);
    const call = jira.calls[0]!;
    expect(call.url).toBe("https://acme.atlassian.net/rest/api/3/issue");
    expect(call.headers.get("authorization")).toBe(`Basic ${btoa("qa@acme.test:atl-secret-9876")}`);
    const fields = call.body.fields;
    expect(fields).toMatchObject({
      project: { key: "QA" },
      issuetype: { name: "Bug" },
      summary: "[major] Payment hangs",
      labels: ["shifty", "severity-major"],
    });
    assertValidAdf(fields.description);
    const flat = JSON.stringify(fields.description);
    expect(flat).toContain("button#pay");
    expect(flat).toContain("spinner spins forever");
    expect(flat).toContain(`/v1/sessions/${s.id}/screenshots/${shot.id}`);
    expect(flat).toContain('"hardBreak"');

    // Idempotent: the second call returns the stored issue without calling Jira.
    const again = await exportFinding();
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ issueKey: "QA-42", url: "https://acme.atlassian.net/browse/QA-42" });
    expect(jira.calls).toHaveLength(1);
    spy.mockRestore();

    const exported = (await (
      await api(`/v1/sessions/${s.id}/export?format=json`, { token: t.apiKey })
    ).json()) as Frame;
    expect(exported.findings[0].jira).toEqual({
      issueKey: "QA-42",
      url: "https://acme.atlassian.net/browse/QA-42",
    });
  });

  it("maps Jira failures and missing configuration to problems", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const f = (await (
      await postEvent(t.apiKey, s.id, { type: "finding", severity: "minor", title: "Typo" })
    ).json()) as Frame;
    const path = `/v1/sessions/${s.id}/findings/${f.data.findingId}/jira`;
    const unconfigured = await api(path, { method: "POST", token: t.apiKey });
    expect(unconfigured.status).toBe(422);
    await problem(unconfigured);
    await api(`/v1/projects/${t.projectId}/integrations/jira`, {
      method: "PUT",
      token: t.apiKey,
      json: settings,
    });
    vi.spyOn(globalThis, "fetch").mockImplementation(fakeJira({ status: 401 }).fetchFn);
    const rejected = await api(path, { method: "POST", token: t.apiKey });
    expect(rejected.status).toBe(422);
    vi.spyOn(globalThis, "fetch").mockImplementation(fakeJira({ status: 503 }).fetchFn);
    const down = await api(path, { method: "POST", token: t.apiKey });
    expect(down.status).toBe(503);
    await problem(down);
    const intruder = await newTenant("Intruder");
    expect((await api(path, { method: "POST", token: intruder.apiKey })).status).toBe(404);
    expect(
      (
        await api(`/v1/sessions/${s.id}/findings/fnd_00000000000000000000000000/jira`, {
          method: "POST",
          token: t.apiKey,
        })
      ).status,
    ).toBe(404);
  });
});
