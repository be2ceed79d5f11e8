import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import type { Env } from "../../workers/env.ts";
import worker from "../../workers/index.ts";
import { newTenant, problem, type Tenant } from "../helpers.ts";
import { newSession } from "../sessions/room-client.ts";
import { createSource, standardSignature } from "../webhooks/helpers.ts";

/**
 * Fault injection: the Worker is called with an environment whose binding fails the way the platform
 * fails (a rejected call, or no answer at all). The production code path is unchanged: the services
 * layer wraps whatever binding it is given (workers/bindings.ts).
 */

const outage = (what: string) => new Error(`${what}: Network connection lost.`);
const never = () => new Promise<never>(() => {});

/** Every listed method rejects (or never answers); other properties come from the real binding. */
function failing<T extends object>(real: T, methods: string[], mode: "throw" | "hang", what: string): T {
  return new Proxy(real, {
    get(target, prop) {
      if (typeof prop === "string" && methods.includes(prop)) {
        return () => (mode === "hang" ? never() : Promise.reject(outage(what)));
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function failingD1(mode: "throw" | "hang"): D1Database {
  const answer = () => (mode === "hang" ? never() : Promise.reject(outage("D1_ERROR")));
  const statement = { bind: () => statement, first: answer, all: answer, run: answer, raw: answer };
  return { prepare: () => statement, batch: answer, exec: answer } as unknown as D1Database;
}

/** A Durable Object namespace whose objects cannot be reached (ids still come from the real one). */
function failingObjects<T extends object>(real: T): T {
  const stub = new Proxy(
    {},
    { get: (_t, prop) => (prop === "then" ? undefined : () => Promise.reject(outage("DO"))) },
  );
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "get" || prop === "getByName") return () => stub;
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function call(path: string, faults: Partial<Env>, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  return worker.fetch(
    new Request(`http://shifty.test${path}`, { ...init, headers }),
    { ...env, ...faults } as Env,
    createExecutionContext(),
  );
}

type Ready = { status: string; components: Record<string, { status: string; error?: string }> };
const readyz = async (faults: Partial<Env> = {}) => {
  const res = await call("/readyz", faults);
  return { status: res.status, body: (await res.json()) as Ready };
};

let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  errors = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => errors.mockRestore());

/** The error lines logged for one component. */
function loggedFor(component: string) {
  return errors.mock.calls
    .map((args) => String(args[0]))
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg: string; component?: string })
    .filter((line) => line.component === component);
}

/** 503 problem+json, Retry-After, request id in body and header, the component named once in the log. */
async function expectUnavailable(res: Response, component: string, named: RegExp) {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  const body = await problem(res);
  expect(body.type).toBe("https://shifty.dev/problems/unavailable");
  expect(body.detail).toMatch(named);
  expect(body.requestId).toMatch(/^req_/);
  expect(res.headers.get("x-request-id")).toBe(body.requestId);
  expect(loggedFor(component)).toHaveLength(1);
}

describe("fault injection: a failing dependency is a named 503, never a 500 or a hang", () => {
  let t: Tenant;
  beforeEach(async () => {
    t = await newTenant("Faults");
    errors.mockClear();
  });

  it("D1 throws: 503 naming the database, and /readyz names d1", async () => {
    const DB = failingD1("throw");
    await expectUnavailable(await call("/v1/projects", { DB }, { token: t.token }), "d1", /database \(D1\)/);
    const ready = await readyz({ DB });
    expect(ready.status).toBe(503);
    expect(ready.body.components.d1).toMatchObject({ status: "error", error: "Error" });
    expect(ready.body.components.kv?.status).toBe("ok");
  });

  it("D1 does not answer: 503 after DEPENDENCY_TIMEOUT_MS, not a hang until the request timeout", async () => {
    const started = Date.now();
    const res = await call(
      "/v1/projects",
      { DB: failingD1("hang"), DEPENDENCY_TIMEOUT_MS: "150" },
      { token: t.token },
    );
    await expectUnavailable(res, "d1", /database/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("KV throws: API-key authentication answers 503 naming the cache, and /readyz names kv", async () => {
    const CACHE = failing(env.CACHE, ["get", "put", "delete", "list", "getWithMetadata"], "throw", "KV GET");
    await expectUnavailable(await call("/v1/projects", { CACHE }, { token: t.apiKey }), "kv", /cache \(KV\)/);
    const ready = await readyz({ CACHE });
    expect(ready.body.components.kv?.status).toBe("error");
    expect(ready.body.components.d1?.status).toBe("ok");
  });

  it("the RateLimiter Durable Object fails: 503 naming it, and /readyz names durable_object", async () => {
    const RATE_LIMITER = failingObjects(env.RATE_LIMITER);
    // The heal policy has no lease in this isolate yet, so the object is asked (before validation).
    const res = await call(
      "/v1/heal",
      { RATE_LIMITER },
      {
        method: "POST",
        token: t.token,
        headers: { "content-type": "application/json" },
        body: "{}",
      },
    );
    await expectUnavailable(res, "durable_object", /Durable Object/);
    const ready = await readyz({ RATE_LIMITER });
    expect(ready.body.components.durable_object?.status).toBe("error");
  });

  it("R2 throws: a screenshot upload answers 503 naming the object store, and /readyz names r2", async () => {
    const ARTIFACTS = failing(env.ARTIFACTS, ["get", "put", "head", "delete", "list"], "throw", "R2");
    const session = await newSession(t);
    errors.mockClear();
    const res = await call(
      `/v1/sessions/${session.id}/screenshots`,
      { ARTIFACTS },
      {
        method: "POST",
        token: t.apiKey,
        headers: { "content-type": "image/png" },
        body: new Uint8Array([
          0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
        ]),
      },
    );
    await expectUnavailable(res, "r2", /object store \(R2\)/);
    const ready = await readyz({ ARTIFACTS });
    expect(ready.body.components.r2?.status).toBe("error");
  });

  it("the queue producer throws: the webhook is kept, 503 with Retry-After, /readyz names the queue; the retry queues it and readiness recovers", async () => {
    const WEBHOOKS = failing(env.WEBHOOKS, ["send", "sendBatch"], "throw", "Queue send");
    const source = await createSource(t, { provider: "standard" });
    const body = '{"type":"invoice.paid","data":{"id":7}}';
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      "content-type": "application/json",
      "webhook-id": `msg_fault_${ts}`,
      "webhook-timestamp": String(ts),
      "webhook-signature": standardSignature(source.secret, `msg_fault_${ts}`, ts, body),
    };
    errors.mockClear();
    const failed = await call(
      new URL(source.url, "http://x").pathname,
      { WEBHOOKS },
      { method: "POST", headers, body },
    );
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("5");
    expect(loggedFor("queue")).toHaveLength(1);
    const stored = await env.DB.prepare("SELECT id, enqueued_at FROM webhook_events WHERE source_id = ?")
      .bind(source.id)
      .first<{ id: string; enqueued_at: number | null }>();
    expect(stored?.enqueued_at).toBeNull();
    expect((await readyz()).body.components.queue).toMatchObject({ status: "error" });

    // The fault clears; the provider retries the same delivery: it is queued, not lost or doubled.
    const retried = await call(
      new URL(source.url, "http://x").pathname,
      {},
      { method: "POST", headers, body },
    );
    expect(retried.status).toBeLessThan(300);
    const after = await env.DB.prepare(
      "SELECT count(*) AS n, max(enqueued_at) AS at FROM webhook_events WHERE source_id = ?",
    )
      .bind(source.id)
      .first<{ n: number; at: number | null }>();
    expect(after).toMatchObject({ n: 1, at: expect.any(Number) });
    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(Object.values(ready.body.components).every((c) => c.status === "ok")).toBe(true);
  });

  it("a SQL error of our own (a constraint) is not mistaken for an outage", async () => {
    const create = () =>
      call(
        "/v1/projects",
        {},
        {
          method: "POST",
          token: t.token,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "Dup", slug: "dup" }),
        },
      );
    expect((await create()).status).toBe(201);
    const again = await create();
    expect(again.status).toBe(409);
    expect(loggedFor("d1")).toHaveLength(0);
  });
});
