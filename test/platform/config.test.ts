import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../workers/env.ts";
import worker from "../../workers/index.ts";

describe("start-up configuration", () => {
  it.each([
    ["missing JWT_SECRET", { JWT_SECRET: undefined }, /JWT_SECRET is required/],
    ["short JWT_SECRET", { JWT_SECRET: "too-short" }, /JWT_SECRET must be at least 32 characters/],
    ["missing ENCRYPTION_KEY", { ENCRYPTION_KEY: undefined }, /ENCRYPTION_KEY is required/],
    [
      "loopback webhooks in production",
      { APP_ENV: "production", ALLOW_LOOPBACK_WEBHOOKS: "true" },
      /ALLOW_LOOPBACK_WEBHOOKS/,
    ],
    [
      "a Jira fake in production",
      { APP_ENV: "production", ALLOW_LOOPBACK_WEBHOOKS: "false", JIRA_API_URL: "http://127.0.0.1:9999" },
      /JIRA_API_URL is for local fakes/,
    ],
    ["a Jira base that is not a URL", { JIRA_API_URL: "not a url" }, /Invalid URL/],
  ])("refuses %s", (_name, patch, message) => {
    expect(() => loadConfig({ ...env, ...patch })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, ...patch })).toThrow(message);
  });

  it("the Worker refuses to serve with a clear problem, not a default secret", async () => {
    const res = await worker.fetch(
      new Request("http://shifty.test/v1/projects"),
      { ...env, JWT_SECRET: "short" },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    const body = (await res.json()) as { title: string; detail: string };
    expect(body.title).toBe("Service not configured");
    expect(JSON.stringify(body)).not.toContain("short");
  });

  it("accepts the test configuration", () => {
    const config = loadConfig(env);
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
  });
});

describe("unexpected failures", () => {
  it("a broken dependency gives a bare 500 problem with the request id, never a stack trace", async () => {
    const brokenDb = {
      prepare() {
        throw new Error("D1 exploded at /srv/secret/path.ts:42");
      },
      batch() {
        throw new Error("D1 exploded");
      },
    } as unknown as D1Database;
    const res = await worker.fetch(
      new Request("http://shifty.test/v1/auth/signin", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "a@example.com", password: "whatever123" }),
      }),
      { ...env, DB: brokenDb },
      createExecutionContext(),
    );
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const text = await res.text();
    const body = JSON.parse(text) as { requestId: string; detail: string };
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
    expect(text).not.toContain("exploded");
    expect(text).not.toContain("/srv/secret");
  });

  it("readyz reports a failing dependency as 503 without leaking details", async () => {
    const brokenDb = {
      prepare: () => ({ first: () => Promise.reject(new Error("disk full at /var/x")) }),
    } as unknown as D1Database;
    const res = await worker.fetch(
      new Request("http://shifty.test/readyz"),
      { ...env, DB: brokenDb },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({
      status: "error",
      components: { d1: { status: "error" }, kv: { status: "ok" } },
    });
    expect(text).not.toContain("disk full");
  });
});
