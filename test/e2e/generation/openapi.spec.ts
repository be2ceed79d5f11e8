// `shifty generate --openapi` end to end: a suite generated from Shifty's own /openapi.json runs green
// against the local Shifty that run.mjs started (with a tenant's API key), and a suite generated from a
// small fixture API fails once that API answers a field with the wrong type.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { newKeyedTenant, playwrightBin, root, run, shiftyBin, shiftyUrl } from "../cli-helpers.ts";

const out = join(root, ".bench", `e2e-openapi-${randomUUID().slice(0, 8)}`);
test.afterAll(() => rmSync(out, { recursive: true, force: true }));

type Report = { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };

/** Runs a generated suite once; resolves with Playwright's JSON report and its raw output. */
async function runSuite(dir: string, env: Record<string, string>) {
  const result = await run(
    playwrightBin,
    [
      "test",
      "-c",
      join(dir, "playwright.config.ts"),
      "--reporter",
      "json",
      "--output",
      join(dir, ".results"),
    ],
    env,
  );
  return { ...result, report: JSON.parse(result.stdout) as Report };
}

test("a suite generated from Shifty's own OpenAPI document passes against Shifty", async () => {
  test.setTimeout(20 * 60_000);
  const tenant = await newKeyedTenant("OpenAPI E2E", "openapi");
  const dir = join(out, "shifty");
  const env = { BASE_URL: shiftyUrl, API_TOKEN: tenant.apiKey };
  const generated = await run(
    shiftyBin,
    [
      "generate",
      "--openapi",
      `${shiftyUrl}/openapi.json`,
      "--out",
      dir,
      "--max-tests",
      "40",
      "--verify",
      "1",
    ],
    env,
  );
  expect(generated.code, generated.stderr).toBe(0);
  const kept = Number(/generated (\d+) API test\(s\) for (\d+) operation\(s\)/.exec(generated.stdout)?.[1]);
  expect(kept).toBeGreaterThanOrEqual(25);
  expect(generated.stdout).toMatch(/skipped GET \/v1\/auth\/sso\/start: no documented 2xx response/);

  const specs = readdirSync(dir).filter((f) => f.endsWith(".spec.ts"));
  const source = specs.map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
  const imports = [...new Set(source.match(/^import .*$/gm))];
  expect(imports[0]).toBe('import { expect, test } from "@playwright/test";');
  for (const line of imports.slice(1))
    expect(line).toMatch(/^import \{ [a-zA-Z, ]+ \} from "\.\/api-check\.ts";$/);
  expect(source).toContain("GET /v1/projects/{projectId} → 200 with a body matching the schema");
  expect(source).toContain("without credentials → 401/403");
  expect(readFileSync(join(dir, "playwright.config.ts"), "utf8")).toContain(
    'API_TOKEN  sent as "Authorization: Bearer <API_TOKEN>"',
  );

  const again = await runSuite(dir, env);
  expect(again.report.stats.unexpected, again.stderr).toBe(0);
  expect(again.report.stats.expected).toBe(kept);
  // With a wrong key the tests that need one fail: the credential is really sent and checked.
  const anonymous = await runSuite(dir, { BASE_URL: shiftyUrl, API_TOKEN: "shf_not-a-key" });
  expect(anonymous.report.stats.unexpected).toBeGreaterThan(0);
});

/** A 4-operation API with its document at /openapi.json; `bug` makes GET /items/{id} send qty as text. */
function fixtureApi() {
  const items = new Map<string, { id: string; name: string; qty: number }>();
  const state = { bug: false };
  const doc = {
    openapi: "3.0.3",
    info: { title: "Items", version: "1.0.0" },
    servers: [{ url: "/" }],
    security: [{ token: [] }],
    components: {
      securitySchemes: { token: { type: "http", scheme: "bearer" } },
      schemas: {
        Item: {
          type: "object",
          required: ["id", "name", "qty"],
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            qty: { type: "integer", minimum: 0 },
          },
        },
        NewItem: {
          type: "object",
          required: ["name"],
          properties: { name: { type: "string", maxLength: 40 }, qty: { type: "integer", minimum: 0 } },
        },
      },
    },
    paths: {
      "/items": {
        get: {
          tags: ["items"],
          summary: "List items",
          responses: {
            "200": {
              description: "The items",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["items"],
                    properties: { items: { type: "array", items: { $ref: "#/components/schemas/Item" } } },
                  },
                },
              },
            },
          },
        },
        post: {
          tags: ["items"],
          summary: "Add an item",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/NewItem" } } },
          },
          responses: {
            "201": {
              description: "The new item",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } },
            },
            "400": { description: "Invalid" },
          },
        },
      },
      "/items/{itemId}": {
        parameters: [{ name: "itemId", in: "path", required: true, schema: { type: "string" } }],
        get: {
          tags: ["items"],
          summary: "Get an item",
          responses: {
            "200": {
              description: "The item",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } },
            },
          },
        },
        delete: {
          tags: ["items"],
          summary: "Remove an item",
          responses: { "204": { description: "Removed" } },
        },
      },
    },
  };
  const server = createServer(async (req, res) => {
    const send = (status: number, body?: unknown) =>
      res
        .writeHead(status, body === undefined ? {} : { "content-type": "application/json" })
        .end(body === undefined ? undefined : JSON.stringify(body));
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/openapi.json") return send(200, doc);
    if (req.headers.authorization !== "Bearer fixture-token") return send(401, { error: "unauthorized" });
    let text = "";
    for await (const chunk of req) text += chunk;
    const id = /^\/items\/([^/]+)$/.exec(url.pathname)?.[1];
    if (url.pathname === "/items" && req.method === "GET") return send(200, { items: [...items.values()] });
    if (url.pathname === "/items" && req.method === "POST") {
      let body: { name?: unknown; qty?: unknown } = {};
      try {
        body = JSON.parse(text);
      } catch {
        return send(400, { error: "not JSON" });
      }
      if (typeof body.name !== "string" || (body.qty !== undefined && !Number.isInteger(body.qty)))
        return send(400, { error: "name is required; qty is an integer" });
      const item = { id: randomUUID(), name: body.name, qty: (body.qty as number | undefined) ?? 0 };
      items.set(item.id, item);
      return send(201, item);
    }
    const item = id ? items.get(decodeURIComponent(id)) : undefined;
    if (!item) return send(404, { error: "not found" });
    if (req.method === "GET") return send(200, state.bug ? { ...item, qty: String(item.qty) } : item);
    if (req.method === "DELETE") {
      items.delete(item.id);
      return send(204);
    }
    return send(405, { error: "method not allowed" });
  });
  return new Promise<{ server: Server; url: string; state: typeof state }>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}`, state });
    }),
  );
}

test("a suite generated from a fixture API fails when a response field has the wrong type", async () => {
  test.setTimeout(10 * 60_000);
  const api = await fixtureApi();
  const dir = join(out, "fixture");
  const env = { API_TOKEN: "fixture-token" };
  try {
    const generated = await run(
      shiftyBin,
      ["generate", "--openapi", `${api.url}/openapi.json`, "--out", dir, "--verify", "2"],
      env,
    );
    expect(generated.code, generated.stderr).toBe(0);
    // 4 operations: 4 successes, 4 without credentials, 1 invalid body; all stable against the right API.
    expect(generated.stdout).toContain("generated 9 API test(s) for 4 operation(s), 0 skipped");
    expect(generated.stdout).toContain("verify: 18 runs, 0 failed; 0 dropped");
    const spec = readFileSync(join(dir, "items.spec.ts"), "utf8");
    expect(spec).toContain("const itemId = await pick(await request.post(`items`");
    expect(spec).toContain('POST /items with a body without the required field \\"name\\" → 4xx');
    // The config's default base URL is the document's origin (servers: "/").
    expect(readFileSync(join(dir, "playwright.config.ts"), "utf8")).toContain(`?? "${api.url}/"`);

    api.state.bug = true;
    const broken = await runSuite(dir, env);
    expect(broken.code).not.toBe(0);
    expect(broken.report.stats.unexpected).toBe(1);
    expect(broken.stdout).toContain("$.qty: expected integer, got string");
  } finally {
    api.server.close();
  }
});
