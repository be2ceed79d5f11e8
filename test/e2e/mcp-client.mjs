#!/usr/bin/env node
// The MCP server checked with the official MCP client (@modelcontextprotocol/sdk) from Node: starts a
// throwaway local Shifty (`wrangler dev` on a free port, a fresh D1 database, generated secrets; the
// same way test/e2e/run.mjs does), signs up, uploads a CI run, then over Streamable HTTP lists the
// tools, calls `ci_status` with a read key, calls `add_session_note` with a read-only key (a tool
// error) and checks both calls are in GET /v1/audit. Exit code 0 only if every check holds.
// Usage: node test/e2e/mcp-client.mjs
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startLocalServer } from "../../scripts/local-server.mjs";

const log = (line) => console.log(`[mcp-e2e] ${line}`);
const work = mkdtempSync(join(tmpdir(), "shifty-mcp-"));
const { FORCE_COLOR: _forceColor, ...inherited } = process.env;
const childEnv = { ...inherited, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
let server = null;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  log(`ok: ${message}`);
}

async function rest(url, path, { token, json, body, headers = {}, method = "GET" } = {}) {
  const h = { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  if (json !== undefined) h["content-type"] = "application/json";
  const res = await fetch(`${url}${path}`, {
    method,
    headers: h,
    body: json !== undefined ? JSON.stringify(json) : body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function connect(url, key) {
  const client = new Client({ name: "shifty-mcp-e2e", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return client;
}

async function scenario(url) {
  const email = `mcp${Date.now()}@example.com`;
  const signup = await rest(url, "/v1/auth/signup", {
    method: "POST",
    json: { email, password: "correct horse battery", name: "MCP Owner", orgName: "MCP" },
  });
  const token = signup.token;
  const projectId = (await rest(url, "/v1/projects", { token })).items[0].id;
  const mint = async (permissions) =>
    (await rest(url, "/v1/api-keys", { method: "POST", token, json: { name: "mcp", permissions } })).key;
  const writer = await mint(["runs:write", "sessions:write", "sessions:read"]);
  const reader = await mint(["runs:read", "sessions:read"]);
  const xml = `<?xml version="1.0"?><testsuites><testsuite name="s"><testcase classname="s" name="a" time="0.1"/></testsuite></testsuites>`;
  const run = await rest(url, `/v1/projects/${projectId}/runs?branch=main&commit=abc1234`, {
    method: "POST",
    token: writer,
    headers: { "content-type": "application/xml" },
    body: xml,
  });
  const session = await rest(url, `/v1/projects/${projectId}/sessions`, {
    method: "POST",
    token: writer,
    json: { title: "T", charter: "C", environment: "stg", timeboxMinutes: 30 },
  });

  const client = await connect(url, reader);
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  check(
    names.length === 11 && names.includes("ci_status") && names.includes("add_session_note"),
    `tools/list: ${names.join(", ")}`,
  );
  const status = await client.callTool({ name: "ci_status", arguments: { projectId } });
  check(!status.isError && status.structuredContent.runs[0].id === run.id, `ci_status returns run ${run.id}`);
  const note = await client.callTool({
    name: "add_session_note",
    arguments: { sessionId: session.id, text: "hi" },
  });
  check(
    note.isError === true && /Missing permission: sessions:write/.test(note.content[0].text),
    `add_session_note refused: ${note.content[0].text}`,
  );
  await client.close();

  const audit = await rest(url, "/v1/audit?action=mcp.tool_call", { token });
  const rows = audit.items.map((r) => `${r.targetId}:${r.changes.outcome}`);
  check(
    rows.includes("ci_status:ok") && rows.includes("add_session_note:forbidden"),
    `audit log has ${rows.join(", ")}`,
  );
}

let exitCode = 1;
try {
  log("starting wrangler dev");
  mkdirSync("web/dist", { recursive: true }); // the assets directory must exist; the API needs no build
  server = await startLocalServer({ work, env: childEnv });
  const url = server.url;
  log(`server healthy at ${url}`);
  await scenario(url);
  exitCode = 0;
  log("PASS");
} catch (error) {
  console.error(`[mcp-e2e] FAIL: ${error.stack ?? error}`);
  const output = error?.serverOutput ?? server?.output();
  if (output) console.error(`[mcp-e2e] last wrangler output:\n${output.slice(-4000)}`);
} finally {
  server?.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
