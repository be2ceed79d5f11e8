// The OpenAPI test planner and renderer (sdk/cli/src/openapi/): which tests each operation gets,
// how path parameters are chained, why operations are skipped, and what the written suite looks like.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../sdk/cli/src/openapi/document.ts";
import { generateApiSuite, OpenApiError } from "../../sdk/cli/src/openapi/index.ts";
import { planApiTests } from "../../sdk/cli/src/openapi/plan.ts";

const pet = {
  type: "object",
  required: ["id", "name"],
  properties: {
    id: { type: "integer", readOnly: true },
    name: { type: "string", maxLength: 40 },
    tag: { type: "string" },
    owner: { $ref: "#/components/schemas/Owner" },
  },
};

function petstore(extra: Record<string, unknown> = {}) {
  return {
    openapi: "3.0.3",
    info: { title: "Pets", version: "1.0.0" },
    servers: [{ url: "https://pets.example.com/api/v1" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        key: { type: "apiKey", in: "header", name: "X-Key" },
      },
      schemas: {
        Pet: pet,
        // A cycle: an owner has pets, a pet has an owner.
        Owner: {
          type: "object",
          properties: { pets: { type: "array", items: { $ref: "#/components/schemas/Pet" } } },
        },
        NewPet: {
          type: "object",
          required: ["name"],
          properties: { name: { type: "string" }, tag: { type: "string" } },
        },
      },
    },
    paths: {
      "/pets": {
        get: {
          tags: ["pets"],
          summary: "List pets",
          parameters: [
            {
              name: "limit",
              in: "query",
              required: true,
              schema: { type: "integer", minimum: 1, maximum: 50 },
            },
          ],
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: { type: "array", items: { $ref: "#/components/schemas/Pet" } },
                },
              },
            },
          },
        },
        post: {
          tags: ["pets"],
          summary: "Create a pet",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/NewPet" } } },
          },
          responses: {
            "201": {
              description: "created",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
            },
          },
        },
      },
      "/pets/{petId}": {
        parameters: [{ name: "petId", in: "path", required: true, schema: { type: "integer" } }],
        get: {
          tags: ["pets"],
          summary: "Get a pet",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
            },
          },
        },
        delete: { tags: ["pets"], security: [{ key: [] }], responses: { "204": { description: "gone" } } },
      },
      "/health": { get: { security: [], responses: { "2XX": { description: "up" } } } },
      ...extra,
    },
  };
}

describe("planApiTests", () => {
  it("plans a success test per operation plus the negatives it supports", () => {
    const plan = planApiTests(parseDocument(petstore()), { maxTests: 100 });
    expect(plan.tests.map((t) => t.name)).toEqual([
      "GET /pets → 200 with a body matching the schema",
      "GET /pets without credentials → 401/403",
      "POST /pets → 201 with a body matching the schema",
      "POST /pets without credentials → 401/403",
      'POST /pets with a body without the required field "name" → 4xx',
      "GET /pets/{petId} → 200 with a body matching the schema",
      "GET /pets/{petId} without credentials → 401/403",
      "DELETE /pets/{petId} → 204",
      "DELETE /pets/{petId} without credentials → 401/403",
      "GET /health → 2xx",
    ]);
    expect(plan.skipped).toEqual([]);
    expect(plan.operations).toBe(5);
  });

  it("chains a path parameter from the operation that creates the resource", () => {
    const plan = planApiTests(parseDocument(petstore()), { maxTests: 100 });
    const get = plan.tests.find((t) => t.name.startsWith("GET /pets/{petId} →"))!;
    expect(get.setup.map((s) => [s.variable, s.operation.key, s.extract])).toEqual([
      ["petId", "POST /pets", ["id"]],
    ]);
    expect(get.params).toEqual({ petId: { variable: "petId" } });
    expect(get.intent).toContain("(ids from POST /pets)");
  });

  it("uses an example when no operation produces the parameter, and skips with a reason otherwise", () => {
    const doc = petstore({
      "/owners/{ownerId}": {
        get: {
          parameters: [
            { name: "ownerId", in: "path", required: true, schema: { type: "string" }, example: "o-1" },
          ],
          responses: { "200": { description: "ok" } },
        },
      },
      "/vets/{vetId}": {
        get: {
          parameters: [{ name: "vetId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "ok" } },
        },
      },
    });
    const plan = planApiTests(parseDocument(doc), { maxTests: 100 });
    expect(plan.tests.find((t) => t.operation.key === "GET /owners/{ownerId}")?.params).toEqual({
      ownerId: { literal: "o-1" },
    });
    expect(plan.skipped).toEqual([
      {
        operation: "GET /vets/{vetId}",
        reason: 'no example and no earlier operation gives the path parameter "vetId" (add an example)',
      },
    ]);
  });

  it("chains by name across collections and reads a listed id for reads only", () => {
    const doc = petstore({
      "/visits": {
        get: {
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      items: {
                        type: "array",
                        items: { type: "object", properties: { id: { type: "string" } } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      "/records/{visitId}": {
        get: { responses: { "200": { description: "ok" } } },
        put: { responses: { "200": { description: "ok" } } },
      },
    });
    const plan = planApiTests(parseDocument(doc), { maxTests: 100 });
    const read = plan.tests.find((t) => t.operation.key === "GET /records/{visitId}")!;
    expect(read.setup.map((s) => [s.operation.key, s.extract])).toEqual([
      ["GET /visits", ["items", 0, "id"]],
    ]);
    // A write never acts on an item it did not create: no producer, no example → skipped.
    expect(plan.skipped.map((s) => s.operation)).toEqual(["PUT /records/{visitId}"]);
  });

  it("gives unsupported features a clear skip reason", () => {
    const doc = petstore({
      "/upload": {
        post: {
          requestBody: { required: true, content: { "multipart/form-data": { schema: { type: "object" } } } },
          responses: { "200": { description: "ok" } },
        },
      },
      "/redirect": { get: { security: [], responses: { "302": { description: "elsewhere" } } } },
      "/basic": { get: { security: [{ basic: [] }], responses: { "200": { description: "ok" } } } },
      "/remote": {
        get: {
          security: [],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "https://x/y.json" } } },
            },
          },
          parameters: [{ name: "q", in: "query", required: true, schema: { $ref: "https://x/q.json" } }],
        },
      },
    });
    doc.components.securitySchemes = {
      ...doc.components.securitySchemes,
      basic: { type: "http", scheme: "basic" },
    } as never;
    const plan = planApiTests(parseDocument(doc), { maxTests: 100 });
    expect(plan.skipped).toEqual([
      {
        operation: "GET /basic",
        reason:
          'security scheme "basic" (http basic) is not supported (http bearer, apiKey in a header or cookie, oauth2/openIdConnect as bearer)',
      },
      { operation: "GET /redirect", reason: "no documented 2xx response (documented: 302)" },
      { operation: "GET /remote", reason: 'external $ref "https://x/q.json" is not supported' },
      {
        operation: "POST /upload",
        reason: "the request body is multipart/form-data; only JSON bodies are generated",
      },
    ]);
  });

  it("keeps whole operations up to --max-tests, reads before writes", () => {
    const plan = planApiTests(parseDocument(petstore()), { maxTests: 5 });
    expect(plan.tests.map((t) => t.name)).toEqual([
      "GET /pets → 200 with a body matching the schema",
      "GET /pets without credentials → 401/403",
      "GET /pets/{petId} → 200 with a body matching the schema",
      "GET /pets/{petId} without credentials → 401/403",
      "GET /health → 2xx",
    ]);
  });
});

describe("generateApiSuite", () => {
  const suite = generateApiSuite(JSON.stringify(petstore()), { maxTests: 100 });
  const file = (path: string) => suite.files.find((f) => f.path === path)?.content ?? "";

  it("writes a spec per tag, the helper, the schemas and a config on BASE_URL", () => {
    expect(suite.files.map((f) => f.path)).toEqual([
      "pets.spec.ts",
      "health.spec.ts",
      "api-check.ts",
      "api-schemas.ts",
      "playwright.config.ts",
    ]);
    expect(suite.baseUrl).toBe("https://pets.example.com/api/v1/");
    const config = file("playwright.config.ts");
    expect(config).toContain(
      'baseURL: withSlash(process.env.BASE_URL ?? "https://pets.example.com/api/v1/")',
    );
    expect(config).toContain(
      'API_TOKEN  sent as "Authorization: Bearer <API_TOKEN>" (security scheme "bearer")',
    );
    expect(config).toContain('API_TOKEN  sent in the header "X-Key: <API_TOKEN>" (security scheme "key")');
  });

  it("renders requests with the request fixture, credentials, ids and assertions", () => {
    const spec = file("pets.spec.ts");
    expect(spec.match(/^import .*$/gm)).toEqual([
      'import { expect, test } from "@playwright/test";',
      'import { authHeaders, bodyErrors, pick, unique } from "./api-check.ts";',
    ]);
    expect(spec).toContain('await request.get(`pets?limit=1`, { headers: { ...authHeaders("bearer") } });');
    expect(spec).toContain(
      'const petId = await pick(await request.post(`pets`, { headers: { ...authHeaders("bearer"), "content-type": "application/json" }, data: {"name":unique("shifty")} }), "POST /pets", ["id"]);',
    );
    const petPath = "`pets/$" + "{encodeURIComponent(petId)}`";
    expect(spec).toContain(`await request.get(${petPath}, { headers: { ...authHeaders("bearer") } });`);
    expect(spec).toContain(`await request.delete(${petPath}, { headers: { ...authHeaders("key") } });`);
    expect(spec).toContain('expect(await bodyErrors(res, "GET /pets/{petId}")).toEqual([]);');
    expect(spec).toContain("expect([401, 403], await res.text()).toContain(res.status());");
    expect(spec).toContain(
      "data: {} });\n  expect(res.status(), await res.text()).toBeGreaterThanOrEqual(400);",
    );
    // The verify loop finds each test by `test(<title>,` and its end by "});".
    expect(spec.match(/^test\(/gm)).toHaveLength(9);
    expect(spec.match(/^\}\);$/gm)).toHaveLength(9);
    expect(file("health.spec.ts")).toContain("expect(res.ok(), await res.text()).toBe(true);");
  });

  it("stores the response schemas with every $ref they reach, cycles included", () => {
    const schemas = file("api-schemas.ts");
    expect(schemas).toContain('"#/components/schemas/Pet"');
    expect(schemas).toContain('"#/components/schemas/Owner"');
    expect(schemas).not.toContain('"#/components/schemas/NewPet": {');
  });

  it("refuses malformed documents with a clear error", () => {
    const bad = (input: unknown) => () => generateApiSuite(input, { maxTests: 10 });
    expect(bad("{ not json")).toThrow(OpenApiError);
    expect(bad("{ not json")).toThrow(/^not valid JSON/);
    expect(bad("openapi: 3.0.0\npaths: {}\n")).toThrow(
      "YAML documents are not supported: convert the document to JSON first",
    );
    expect(bad({ swagger: "2.0", paths: {} })).toThrow("Swagger 2.0 is not supported");
    expect(bad({ openapi: "4.0.0", paths: { "/": {} } })).toThrow("OpenAPI 4.0.0 is not supported");
    expect(bad({ openapi: "3.1.0", info: {} })).toThrow('the document has no "paths"');
    expect(bad([1, 2])).toThrow("expected a JSON object");
  });
});
