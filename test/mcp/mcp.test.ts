import { describe, expect, it } from "vitest";
import { MCP_TOOL_NAMES } from "../../shared/contract/mcp.ts";
import { api, newTenant, problem, type Tenant, uploadRun } from "../helpers.ts";
import { newSession, postEvent } from "../sessions/room-client.ts";
import { keyWith } from "../support/keys.ts";

// biome-ignore lint/suspicious/noExplicitAny: responses are probed field by field in the assertions
type Loose = any;
type Rpc = { jsonrpc: "2.0"; id: number | null; result?: Loose; error?: { code: number; message: string } };

function post(token: string, message: unknown, session?: string) {
  return api("/mcp", {
    method: "POST",
    token,
    json: message,
    headers: {
      accept: "application/json, text/event-stream",
      ...(session ? { "mcp-session-id": session } : {}),
    },
  });
}

/** initialize + notifications/initialized, as an MCP client does; returns the session id. */
async function connect(token: string) {
  const res = await post(token, {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "vitest", version: "1" } },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Rpc;
  expect(body.result.protocolVersion).toBe("2025-06-18");
  expect(body.result.capabilities.tools).toBeDefined();
  const session = res.headers.get("mcp-session-id")!;
  expect(session).toMatch(/^mcs_/);
  expect((await post(token, { jsonrpc: "2.0", method: "notifications/initialized" }, session)).status).toBe(
    202,
  );
  return session;
}

let nextId = 10;
async function callTool(token: string, session: string, name: string, args: unknown) {
  const res = await post(
    token,
    { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args } },
    session,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as Rpc;
}

async function auditRows(t: Tenant) {
  const res = await api("/v1/audit?action=mcp.tool_call&limit=100", { token: t.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { targetId: string; changes: Record<string, Loose> }[] }).items;
}

/** A JUnit report with one passing and one failing case. */
const RUN_XML = `<?xml version="1.0"?><testsuites><testsuite name="s"><testcase classname="s" name="a" time="0.1"/><testcase classname="s" name="b" time="0.1"><failure message="boom"/></testcase></testsuite></testsuites>`;

describe("MCP server (POST /mcp)", () => {
  it("initializes, lists the eleven tools with their tiers, and answers ping", async () => {
    const t = await newTenant();
    const session = await connect(t.apiKey);
    const res = await post(t.apiKey, { jsonrpc: "2.0", id: 2, method: "tools/list" }, session);
    const tools = ((await res.json()) as Rpc).result.tools as {
      name: string;
      inputSchema: Loose;
      _meta: Loose;
    }[];
    // Every tool of the contract, in its order, and no other.
    expect(tools.map((x) => x.name)).toEqual([...MCP_TOOL_NAMES]);
    for (const tool of tools) expect(tool.inputSchema.type).toBe("object");
    const tiers = Object.fromEntries(tools.map((x) => [x.name, x._meta["shifty/tier"]]));
    expect(tiers).toMatchObject({
      ci_status: "read",
      add_session_note: "write",
      heal_selector: "exec",
      generate_tests: "exec",
      dora_metrics: "read",
    });
    const ping = (await (
      await post(t.apiKey, { jsonrpc: "2.0", id: 3, method: "ping" }, session)
    ).json()) as Rpc;
    expect(ping.result).toEqual({});
  });

  it("dora_metrics answers the four keys for a project or the org, and hides other tenants' projects", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const reader = await keyWith(t, ["projects:read"]);
    const session = await connect(reader);
    const project = await callTool(reader, session, "dora_metrics", { projectId: t.projectId });
    expect(project.result.isError).toBeUndefined();
    const keys = project.result.structuredContent;
    for (const key of ["deploymentFrequency", "leadTimeForChanges", "changeFailureRate", "timeToRestore"]) {
      expect(keys[key]).toMatchObject({ sampleSize: 0, band: null });
    }
    const org = await callTool(reader, session, "dora_metrics", {});
    expect(org.result.structuredContent.deploymentFrequency.unit).toBe(keys.deploymentFrequency.unit);
    const foreign = await callTool(reader, session, "dora_metrics", { projectId: other.projectId });
    expect(foreign.result).toMatchObject({
      isError: true,
      content: [{ text: "not_found: Project not found" }],
    });
  });

  it("generate_tests turns a session's steps into a stored generation; needs runs:write", async () => {
    const t = await newTenant();
    const { id: sessionId } = await newSession(t, {
      title: "Cart",
      charter: "Add an item",
      environment: "local",
      timeboxMinutes: 30,
    });
    for (const frame of [
      { type: "step", action: "navigate", url: "http://127.0.0.1:4173/shop.html" },
      { type: "step", action: "click", target: { role: "button", accessibleName: "Add to cart" } },
    ]) {
      expect((await postEvent(t.apiKey, sessionId, frame)).status).toBe(201);
    }
    const reader = await keyWith(t, ["runs:read", "sessions:read"]);
    const readSession = await connect(reader);
    const refused = await callTool(reader, readSession, "generate_tests", { sessionId });
    expect(refused.result.isError).toBe(true);
    expect(refused.result.content[0].text).toContain("runs:write");
    const writer = await keyWith(t, ["runs:write", "runs:read"]);
    const session = await connect(writer);
    const made = await callTool(writer, session, "generate_tests", { sessionId });
    expect(made.result.isError).toBeUndefined();
    const job = made.result.structuredContent;
    expect(job).toMatchObject({ status: "succeeded", source: "session", sessionId, projectId: t.projectId });
    const spec = job.files.find((f: { path: string }) => f.path.endsWith(".spec.ts"));
    expect(spec.content).toContain('getByRole("button", { name: "Add to cart", exact: true }).click()');
    const stored = await api(`/v1/generations/${job.id}`, { token: t.apiKey });
    expect(stored.status).toBe(200);
  });

  it("ci_status returns the latest runs and gate; filters by branch and commit", async () => {
    const t = await newTenant();
    await uploadRun(t, RUN_XML, { branch: "main", commit: "aaaa1111" });
    const latest = await uploadRun(t, RUN_XML, { branch: "feature", commit: "bbbb2222" });
    const reader = await keyWith(t, ["runs:read"]);
    const session = await connect(reader);
    const all = await callTool(reader, session, "ci_status", { projectId: t.projectId });
    expect(all.result.isError).toBeUndefined();
    expect(all.result.structuredContent.runs).toHaveLength(2);
    expect(all.result.structuredContent.runs[0].id).toBe(latest.id);
    expect(all.result.structuredContent.gate.status).toBeTypeOf("string");
    expect(JSON.parse(all.result.content[0].text)).toEqual(all.result.structuredContent);
    const main = await callTool(reader, session, "ci_status", { projectId: t.projectId, branch: "main" });
    expect(main.result.structuredContent.runs.map((r: { branch: string }) => r.branch)).toEqual(["main"]);
    const byCommit = await callTool(reader, session, "ci_status", { projectId: t.projectId, commit: "bbbb" });
    expect(byCommit.result.structuredContent.runs.map((r: { id: string }) => r.id)).toEqual([latest.id]);
  });

  it("refuses a write tool to a read-only key as a tool error and audits both calls", async () => {
    const t = await newTenant();
    // Any session will do: only who may write a note to it matters here.
    const { id: sessionId } = await newSession(t);
    const reader = await keyWith(t, ["runs:read", "sessions:read"]);
    const mcp = await connect(reader);
    const denied = await callTool(reader, mcp, "add_session_note", { sessionId, text: "found a bug" });
    expect(denied.error).toBeUndefined();
    expect(denied.result.isError).toBe(true);
    expect(denied.result.content[0].text).toBe(
      "Missing permission: sessions:write (add_session_note is a write tool)",
    );

    const writer = await keyWith(t, ["sessions:write", "sessions:read"]);
    const wmcp = await connect(writer);
    const note = await callTool(writer, wmcp, "add_session_note", { sessionId, text: "token=abc found" });
    expect(note.result.isError).toBeUndefined();
    expect(note.result.structuredContent).toMatchObject({ kind: "note", data: { text: "token=abc found" } });

    const rows = await auditRows(t);
    const notes = rows.filter((r) => r.targetId === "add_session_note");
    expect(notes.map((r) => r.changes.outcome).sort()).toEqual(["forbidden", "ok"]);
    for (const r of notes) {
      expect(r.changes.tier).toBe("write");
      expect(r.changes.arguments.sessionId).toBe(sessionId);
      expect(r.changes.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("masks secrets in audited arguments and reports invalid arguments as tool errors", async () => {
    const t = await newTenant();
    const session = await connect(t.apiKey);
    const bad = await callTool(t.apiKey, session, "get_run", { runId: "nope", apiKey: "shf_secret" });
    expect(bad.result.isError).toBe(true);
    expect(bad.result.content[0].text).toContain("Invalid arguments for get_run");
    const missing = await callTool(t.apiKey, session, "get_run", { runId: "run_00000000000000000000000000" });
    expect(missing.result).toMatchObject({ isError: true, content: [{ text: "not_found: Run not found" }] });
    const [row] = (await auditRows(t)).filter((r) => r.changes.outcome === "invalid");
    expect(row!.changes.arguments).toEqual({ runId: "nope", apiKey: "***" });
    const unknown = (await (
      await post(
        t.apiKey,
        { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "no_such_tool" } },
        session,
      )
    ).json()) as Rpc;
    expect(unknown.error?.code).toBe(-32602);
  });

  it("applies the org's allow/deny policy to tools/list and tools/call", async () => {
    const t = await newTenant();
    const put = await api("/v1/mcp/policy", {
      method: "PUT",
      token: t.token,
      json: { allowedTools: ["ci_status", "get_run", "list_sessions"], deniedTools: ["get_run"] },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ deniedTools: ["get_run"], sessionCallLimit: 200 });
    const session = await connect(t.apiKey);
    const list = (await (
      await post(t.apiKey, { jsonrpc: "2.0", id: 2, method: "tools/list" }, session)
    ).json()) as Rpc;
    expect(list.result.tools.map((x: { name: string }) => x.name)).toEqual(["ci_status", "list_sessions"]);
    const denied = await callTool(t.apiKey, session, "get_run", { runId: "run_00000000000000000000000000" });
    expect(denied.result.content[0].text).toBe("The organisation's MCP policy does not allow get_run");
    const notAllowed = await callTool(t.apiKey, session, "list_webhook_events", {});
    expect(notAllowed.result.isError).toBe(true);
    const ok = await callTool(t.apiKey, session, "list_sessions", {});
    expect(ok.result.structuredContent.items).toEqual([]);
    const bad = await api("/v1/mcp/policy", {
      method: "PUT",
      token: t.token,
      json: { deniedTools: ["rm_rf"] },
    });
    expect(bad.status).toBe(400);
  });

  it("limits calls per MCP session", async () => {
    const t = await newTenant();
    await api("/v1/mcp/policy", { method: "PUT", token: t.token, json: { sessionCallLimit: 2 } });
    const session = await connect(t.apiKey);
    for (let i = 0; i < 2; i++) {
      expect((await callTool(t.apiKey, session, "list_sessions", {})).result.isError).toBeUndefined();
    }
    const third = await callTool(t.apiKey, session, "list_sessions", {});
    expect(third.result.isError).toBe(true);
    expect(third.result.content[0].text).toContain("used its 2 tool calls");
    const fresh = await connect(t.apiKey);
    expect((await callTool(t.apiKey, fresh, "list_sessions", {})).result.isError).toBeUndefined();
    expect((await auditRows(t)).filter((r) => r.changes.outcome === "limited")).toHaveLength(1);
  });

  it("speaks the transport: sessions, notifications, parse errors, GET 405, other tenants' sessions", async () => {
    const t = await newTenant();
    const other = await newTenant("Other");
    const session = await connect(t.apiKey);
    expect((await post(t.apiKey, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(400);
    expect((await post(other.apiKey, { jsonrpc: "2.0", id: 1, method: "tools/list" }, session)).status).toBe(
      404,
    );
    const parse = await api("/mcp", {
      method: "POST",
      token: t.apiKey,
      headers: { "content-type": "application/json", "mcp-session-id": session },
      body: "{not json",
    });
    expect(parse.status).toBe(400);
    expect(((await parse.json()) as Rpc).error?.code).toBe(-32700);
    const unknown = (await (
      await post(t.apiKey, { jsonrpc: "2.0", id: 4, method: "resources/list" }, session)
    ).json()) as Rpc;
    expect(unknown.error?.code).toBe(-32601);
    const get = await api("/mcp", { token: t.apiKey });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toContain("POST");
    expect((await api("/mcp", { method: "POST", json: {} })).status).toBe(401);
    const del = await api("/mcp", {
      method: "DELETE",
      token: t.apiKey,
      headers: { "mcp-session-id": session },
    });
    expect(del.status).toBe(204);
    const after = await post(t.apiKey, { jsonrpc: "2.0", id: 5, method: "ping" }, session);
    expect((await problem(after)).status).toBe(404);
  });
});
