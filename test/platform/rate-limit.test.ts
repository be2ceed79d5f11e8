import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PLAN_QUOTAS } from "../../shared/tenancy/plans.ts";
import { api, countOf, newTenant, problem, setPlan } from "../helpers.ts";
import { waitFor } from "../wait-for.ts";

describe("RateLimiter Durable Object", () => {
  it("N concurrent requests against quota Q admit exactly Q", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`exact-${crypto.randomUUID()}`));
    // One token per hour refill: nothing refills while the test runs.
    const req = { policy: "ai", cost: 1, capacity: 20, refillPerSecond: 1 / 3600 };
    const results = await Promise.all(Array.from({ length: 75 }, () => stub.consume(req)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    const denied = results.find((r) => !r.allowed)!;
    expect(denied.remaining).toBe(0);
    expect(denied.retryAfterSeconds).toBeGreaterThan(3000);
  });

  it("charges the request cost and keeps policies apart", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`cost-${crypto.randomUUID()}`));
    const heavy = await stub.consume({ policy: "heal", cost: 7, capacity: 10, refillPerSecond: 0.001 });
    expect(heavy).toMatchObject({ allowed: true, remaining: 3 });
    expect(
      (await stub.consume({ policy: "heal", cost: 4, capacity: 10, refillPerSecond: 0.001 })).allowed,
    ).toBe(false);
    expect(
      (await stub.consume({ policy: "default", cost: 4, capacity: 10, refillPerSecond: 0.001 })).allowed,
    ).toBe(true);
  });

  it("refills over time", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`refill-${crypto.randomUUID()}`));
    const all = { policy: "default", cost: 2, capacity: 2, refillPerSecond: 10 };
    expect((await stub.consume(all)).allowed).toBe(true);
    // Empty now; refilling both tokens takes 200 ms. A refused consume spends nothing, so poll it.
    expect((await stub.consume(all)).allowed).toBe(false);
    const refilled = await waitFor(() => stub.consume(all), {
      until: (r) => r.allowed,
      timeoutMs: 5_000,
      intervalMs: 25,
    });
    expect(refilled.allowed).toBe(true);
  });
});

describe("rate limiting at the gateway", () => {
  it("sends the IETF draft and legacy headers", async () => {
    const t = await newTenant();
    const res = await api("/v1/projects", { token: t.apiKey });
    const q = PLAN_QUOTAS.free.default;
    expect(res.headers.get("ratelimit-policy")).toBe(`"default";q=${q.quota};w=${q.windowSeconds}`);
    expect(res.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
    expect(res.headers.get("x-ratelimit-limit")).toBe(String(q.quota));
    expect(Number(res.headers.get("x-ratelimit-remaining"))).toBeLessThan(q.burst);
  });

  it("answers 429 with Retry-After once the org's bucket is empty, per org", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const { burst, quota, windowSeconds } = PLAN_QUOTAS.free.default;
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: burst + 60 }, () => api("/v1/projects", { token: t.apiKey })),
    );
    const statuses = responses.map((r) => r.status);
    const elapsedSeconds = (Date.now() - started) / 1000;
    const ok = statuses.filter((s) => s === 200).length;
    // Never more than the bucket plus what refilled while the burst ran (the signup spent a few tokens).
    expect(ok).toBeLessThanOrEqual(burst + Math.ceil(elapsedSeconds * (quota / windowSeconds)) + 1);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const limited = responses.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await problem(limited)).title).toBe("Too many requests");
    // Another tenant is unaffected.
    expect((await api("/v1/projects", { token: other.apiKey })).status).toBe(200);
  });

  it("a read that overlapped the limiter's answer is still refused with a 429 when the bucket is empty", async () => {
    const t = await newTenant();
    // A first request leaves the bucket nearly full, so the next GET asks the limiter while it reads.
    expect((await api("/v1/projects", { token: t.apiKey })).status).toBe(200);
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(t.orgId));
    const { burst, quota, windowSeconds } = PLAN_QUOTAS.free.default;
    const left = (await stub.usage()).default!.remaining;
    expect(left).toBeGreaterThan(burst * 0.5);
    await stub.consume({
      policy: "default",
      cost: left,
      capacity: burst,
      refillPerSecond: quota / windowSeconds,
    });
    const res = await api("/v1/projects", { token: t.apiKey });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect(res.headers.get("ratelimit")).toMatch(/^"default";r=0;/);
    expect((await problem(res)).status).toBe(429);
    // Writes always wait for the limiter first.
    const write = await api("/v1/projects", { method: "POST", token: t.apiKey, json: { name: "blocked" } });
    expect(write.status).toBe(429);
    expect((await stub.usage()).default!.remaining).toBe(0);
    const list = await countOf(
      "SELECT COUNT(*) AS n FROM projects WHERE org_id = ? AND name = 'blocked'",
      t.orgId,
    );
    expect(list).toBe(0);
  });

  it("a plan upgrade raises the quota", async () => {
    const t = await newTenant();
    await setPlan(t.orgId, "pro");
    const key = (await (
      await api("/v1/api-keys", { method: "POST", token: t.token, json: { name: "pro" } })
    ).json()) as { key: string };
    const res = await api("/v1/projects", { token: key.key });
    expect(res.headers.get("ratelimit-policy")).toContain(`q=${PLAN_QUOTAS.pro.default.quota}`);
  });
});

describe("RateLimiter persistence", () => {
  it("an evicted limiter resumes its buckets from storage", async () => {
    const { evictDurableObject, runInDurableObject } = await import("cloudflare:test");
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`evict-${crypto.randomUUID()}`));
    const req = { policy: "ai", cost: 15, capacity: 20, refillPerSecond: 1 / 3600 };
    expect((await stub.consume(req)).remaining).toBe(5);
    // Wait until the write-behind has stored the spent bucket, rather than sleeping past its window.
    await waitFor(
      () =>
        runInDurableObject(stub, async (_limiter, state) => {
          const stored = await state.storage.get<{ tokens: number }>("bucket:ai");
          return stored !== undefined && stored.tokens < 6;
        }),
      { timeoutMs: 5_000, intervalMs: 25 },
    );
    await evictDurableObject(stub);
    const after = await stub.consume({ ...req, cost: 1 });
    expect(after.remaining).toBe(4);
  });
});
