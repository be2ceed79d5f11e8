import { describe, expect, it } from "vitest";
import { api, newTenant, problem, type Tenant } from "../helpers.ts";

/** POST /v1/projects with the tenant's key and `init`'s body (JSON, or raw with its own content type). */
const postProject = (t: Tenant, init: { json?: unknown; body?: string; headers?: Record<string, string> }) =>
  api("/v1/projects", { method: "POST", token: t.apiKey, ...init });

describe("HTTP error conventions (problem+json)", () => {
  it("unknown route is a 404 problem with the request id", async () => {
    const res = await api("/v1/nope");
    // Unknown /v1 paths still require auth first; an unauthenticated caller learns nothing about routes.
    expect(res.status).toBe(401);
    const t = await newTenant();
    const res2 = await api("/v1/definitely-not-a-route", { token: t.apiKey });
    expect(res2.status).toBe(404);
    const body = await problem(res2);
    expect(body.status).toBe(404);
    expect(body.requestId).toBe(res2.headers.get("x-request-id"));
    expect(body.instance).toBe("/v1/definitely-not-a-route");
  });

  it("wrong method is a 405 with Allow", async () => {
    const t = await newTenant();
    const res = await api("/v1/projects", { method: "PUT", token: t.apiKey, json: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("GET");
    expect(res.headers.get("allow")).toContain("POST");
    await problem(res);
  });

  // Bodies refused before validation, each a problem with its code's title (docs/http-conventions.md).
  it.each([
    {
      what: "malformed JSON",
      init: { headers: { "content-type": "application/json" }, body: '{"name": "x",' },
      status: 400,
      title: "Malformed JSON",
    },
    {
      what: "a non-JSON body on a JSON endpoint",
      init: { headers: { "content-type": "text/plain" }, body: "name=x" },
      status: 415,
      title: "Unsupported media type",
    },
    {
      what: "a body over the limit",
      init: { json: { name: "big", description: "x".repeat(1024 * 1024 + 10) } },
      status: 413,
      title: "Payload too large",
    },
  ])("$what is a $status", async ({ init, status, title }) => {
    const t = await newTenant();
    const res = await postProject(t, init);
    expect(res.status).toBe(status);
    expect((await problem(res)).title).toBe(title);
  });

  it("validation failures list every field", async () => {
    const t = await newTenant();
    const res = await postProject(t, {
      json: { name: "", slug: "Not A Slug", extra: 1 },
    });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.title).toBe("Validation failed");
    const paths = body.errors!.map((e) => e.path);
    expect(paths).toContain("name");
    expect(paths).toContain("slug");
  });

  it("never shows a stack trace, and every response has X-Request-Id", async () => {
    const t = await newTenant();
    const res = await api("/v1/projects/prj_00000000000000000000000000", { token: t.apiKey });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it("accepts a caller's request id when it is sane", async () => {
    const res = await api("/healthz", { headers: { "x-request-id": "trace-abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("trace-abc-123");
  });

  it("sets security headers", async () => {
    const res = await api("/healthz");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("CORS answers only allowlisted origins", async () => {
    const allowed = await api("/healthz", { headers: { origin: "http://127.0.0.1:8787" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:8787");
    const denied = await api("/healthz", { headers: { origin: "https://evil.example" } });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await api("/v1/projects", {
      method: "OPTIONS",
      headers: { origin: "http://localhost:8787", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  });
});

describe("health and docs", () => {
  it("readyz reports D1 and KV", async () => {
    const res = await api("/readyz");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; components: Record<string, { status: string }> };
    expect(body.components.d1?.status).toBe("ok");
    expect(body.components.kv?.status).toBe("ok");
  });

  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/projects", "/v1/api-keys", "/v1/audit", "/healthz"]),
    );
    expect(doc.paths["/v1/projects"]).toHaveProperty("post");
    expect(doc.components.schemas).toHaveProperty("Problem");
  });

  it("documents patterns and nullable references as the routes apply them", async () => {
    type Schema = { pattern?: string; properties?: Record<string, Schema>; anyOf?: Schema[] };
    type Body = { content: Record<string, { schema: Schema }> };
    type Op = { requestBody?: Body; responses: Record<string, Body> };
    const doc = (await (await api("/openapi.json")).json()) as { paths: Record<string, Record<string, Op>> };
    const json = "application/json";
    // A custom role's name is Unicode letters/digits: the documented pattern must accept what the API does.
    const roleName = doc.paths["/v1/roles"]?.post?.requestBody?.content[json]?.schema.properties?.name;
    expect(roleName?.pattern).toBe("^[\\p{L}\\p{N} _.-]+$");
    expect(new RegExp(roleName?.pattern ?? "", "u").test("QA lead")).toBe(true);
    // An API key's /v1/me has `user: null`: the documented schema must allow it.
    const me = doc.paths["/v1/me"]?.get?.responses["200"]?.content[json]?.schema;
    expect(me?.properties?.user?.anyOf).toEqual(expect.arrayContaining([{ type: "null" }]));
  });

  it("serves interactive docs", async () => {
    const res = await api("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("/openapi.json");
  });
});
