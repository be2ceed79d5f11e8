// `shifty generate --openapi`: the schema checker written into generated suites (api-check.ts) really
// rejects wrong bodies, and the command's options and summary.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/index.ts";
import { generateApiSuite } from "../src/openapi/index.ts";

const doc = {
  openapi: "3.1.0",
  info: { title: "Check", version: "1" },
  paths: {
    "/nodes": {
      get: {
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Node: {
        type: "object",
        required: ["id", "kind", "children"],
        additionalProperties: false,
        properties: {
          id: { type: "integer", minimum: 1 },
          kind: { enum: ["leaf", "branch"] },
          label: { type: ["string", "null"], maxLength: 5, pattern: "^[a-z]+$" },
          secret: { type: "string", writeOnly: true },
          children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
          ratio: { type: "number", exclusiveMaximum: 1, multipleOf: 0.25 },
          meta: { oneOf: [{ type: "string" }, { type: "object", required: ["at"] }] },
        },
      },
    },
  },
};

type Checker = {
  schemaErrors: (value: unknown, schema: unknown) => string[];
  unique: (v: string, max?: number) => string;
};

describe("the generated schema checker", async () => {
  const dir = mkdtempSync(join(tmpdir(), "shifty-openapi-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(dir, { recursive: true });
  for (const f of generateApiSuite(doc, { maxTests: 10 }).files) writeFileSync(join(dir, f.path), f.content);
  const { schemaErrors, unique } = (await import(join(dir, "api-check.ts"))) as Checker;
  const node = { $ref: "#/components/schemas/Node" };
  const good = {
    id: 1,
    kind: "branch",
    label: null,
    children: [{ id: 2, kind: "leaf", children: [], label: "ab" }],
  };

  it("accepts a conforming body, recursive refs included", () => {
    expect(schemaErrors(good, node)).toEqual([]);
    expect(schemaErrors({ ...good, ratio: 0.75, meta: { at: 1 } }, node)).toEqual([]);
  });

  it("names each way a body breaks the schema", () => {
    expect(schemaErrors({ ...good, id: "1" }, node)).toEqual(["$.id: expected integer, got string"]);
    expect(schemaErrors({ ...good, id: 1.5 }, node)).toEqual(["$.id: expected integer, got number"]);
    expect(schemaErrors({ id: 1, kind: "leaf" }, node)).toEqual([
      '$: the required field "children" is missing',
    ]);
    expect(schemaErrors({ ...good, kind: "root" }, node)).toEqual([
      '$.kind: "root" is not one of ["leaf","branch"]',
    ]);
    expect(schemaErrors({ ...good, extra: 1 }, node)).toEqual(['$: unexpected field "extra"']);
    expect(schemaErrors({ ...good, children: [{ id: 0, kind: "leaf", children: [] }] }, node)).toEqual([
      "$.children[0].id: 0 is less than 1",
    ]);
    expect(schemaErrors({ ...good, label: "ABCDEF" }, node)).toEqual([
      "$.label: longer than 5",
      '$.label: "ABCDEF" does not match /^[a-z]+$/',
    ]);
    expect(schemaErrors({ ...good, ratio: 1 }, node)).toEqual(["$.ratio: 1 is not less than 1"]);
    expect(schemaErrors({ ...good, ratio: 0.3 }, node)).toEqual(["$.ratio: 0.3 is not a multiple of 0.25"]);
    expect(schemaErrors({ ...good, meta: {} }, node)).toEqual([
      "$.meta: matches none of the oneOf alternatives",
    ]);
    expect(schemaErrors([good], node)).toEqual(["$: expected object, got array"]);
  });

  it("makes unique strings within a length limit", () => {
    expect(unique("shifty")).toMatch(/^shifty-[0-9a-z]+$/);
    expect(unique("shifty")).not.toBe(unique("shifty"));
    expect(unique("shifty", 10)).toHaveLength(10);
  });
});

describe("shifty generate --openapi", () => {
  const cwd = mkdtempSync(join(tmpdir(), "shifty-openapi-cli-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const cli = async (args: string[]) => {
    const out = { stdout: "", stderr: "" };
    const code = await main(["generate", ...args], {
      stdout: (t) => {
        out.stdout += t;
      },
      stderr: (t) => {
        out.stderr += t;
      },
      env: {},
      cwd,
    });
    return { code, ...out };
  };

  it("writes the suite from a file without Shifty credentials and lists what it skipped", async () => {
    const withRedirect = {
      ...doc,
      paths: { ...doc.paths, "/login": { get: { responses: { "302": { description: "elsewhere" } } } } },
    };
    writeFileSync(join(cwd, "api.json"), JSON.stringify(withRedirect));
    const r = await cli(["--openapi", "api.json", "--out", "suite", "--verify", "0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("generated 1 API test(s) for 2 operation(s), 1 skipped");
    expect(r.stdout).toContain("skipped GET /login: no documented 2xx response (documented: 302)");
    expect(readdirSync(join(cwd, "suite")).sort()).toEqual([
      "api-check.ts",
      "api-schemas.ts",
      "nodes.spec.ts",
      "playwright.config.ts",
    ]);
  });

  it("stops with a clear error on a malformed document, a missing file or bad options", async () => {
    writeFileSync(join(cwd, "bad.json"), "{ nope");
    const bad = await cli(["--openapi", "bad.json", "--out", "x"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^shifty: bad\.json: not valid JSON/);
    const missing = await cli(["--openapi", "missing.json", "--out", "x"]);
    expect(missing.stderr).toContain("could not read missing.json: ENOENT");
    expect((await cli(["--openapi", "api.json"])).code).toBe(2);
    expect((await cli(["--openapi", "api.json", "--out", "x", "--max-tests", "-1"])).code).toBe(2);
    expect(existsSync(join(cwd, "x"))).toBe(false);
  });
});
