import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
  HOT_REQUESTS_PER_SECOND,
  LEASE_MAX,
  LEASE_TTL_MS,
  LeaseBook,
  leaseSize,
} from "../../shared/rate-limit/leases.ts";
import { PLAN_QUOTAS } from "../../shared/tenancy/plans.ts";
import { api, newTenant, setPlan } from "../helpers.ts";

describe("token leases (pure)", () => {
  it("leases nothing at or below the share kept for exact decisions, and a bounded slice above it", () => {
    expect(leaseSize(20, 100, LEASE_MAX)).toBe(0);
    expect(leaseSize(19, 100, LEASE_MAX)).toBe(0);
    expect(leaseSize(100, 100, LEASE_MAX)).toBe(4); // 5 % of the 80 above the reserve
    expect(leaseSize(20_000, 20_000, LEASE_MAX)).toBe(LEASE_MAX);
    expect(leaseSize(20_000, 20_000, 3)).toBe(3);
    expect(leaseSize(20_000, 20_000, 0)).toBe(0);
  });

  it("spends a lease until it is empty or expired, and hands back what is left", () => {
    const book = new LeaseBook();
    const snapshot = { remaining: 50, resetSeconds: 5, limit: 100 };
    book.absorb("k", 3, snapshot, 1_000);
    expect(book.spend("k", 2, 1_001)).toMatchObject({ tokens: 1, remaining: 50 });
    expect(book.spend("k", 2, 1_002)).toBeNull(); // one left, two needed
    expect(book.spend("k", 1, 1_000 + LEASE_TTL_MS)).toBeNull(); // expired
    expect(book.release("k")).toBe(1);
    expect(book.release("k")).toBe(0);
  });

  it("asks for leases only once a tenant is hot in this isolate, sized to its rate", () => {
    const book = new LeaseBook();
    const asks = Array.from({ length: HOT_REQUESTS_PER_SECOND + 2 }, (_, i) => {
      book.spend("k", 1, 10_000 + i); // counts the request; no lease yet
      return book.want("k", 10_000 + i);
    });
    expect(asks.slice(0, HOT_REQUESTS_PER_SECOND - 1).every((w) => w === 0)).toBe(true);
    expect(asks.at(-1)).toBe(HOT_REQUESTS_PER_SECOND + 2); // one TTL's worth at this rate
    // The last full second still counts early in the next one, then it is forgotten.
    expect(book.want("k", 11_100)).toBe(HOT_REQUESTS_PER_SECOND + 2);
    expect(book.want("k", 12_500)).toBe(0);
    for (let i = 0; i < 500; i++) book.spend("busy", 1, 20_000 + i);
    expect(book.want("busy", 20_500)).toBe(LEASE_MAX);
  });

  it("keeps asking while leases serve most requests (they count towards the rate too)", () => {
    const book = new LeaseBook();
    const snapshot = { remaining: 900, resetSeconds: 5, limit: 1000 };
    let roundTrips = 0;
    // 200 requests per second for three seconds, leases granted as asked.
    for (let ms = 0; ms < 3000; ms += 5) {
      if (book.spend("k", 1, 50_000 + ms)) continue;
      roundTrips++;
      book.absorb("k", book.want("k", 50_000 + ms), snapshot, 50_000 + ms);
    }
    expect(roundTrips).toBeLessThan(30);
  });
});

describe("single flight (pure)", () => {
  it("concurrent misses wait for the lease request in flight and spend what it brought", async () => {
    const book = new LeaseBook();
    const snapshot = { remaining: 500, resetSeconds: 5, limit: 1000 };
    let settle!: (r: { granted: number }) => void;
    const call = new Promise<{ granted: number }>((resolve) => {
      settle = resolve;
    }).then((r) => {
      book.absorb("k", r.granted, snapshot, Date.now());
      return r;
    });
    expect(book.flight("k")).toBeUndefined();
    const shared = book.share("k", call);
    const flight = book.flight("k");
    expect(flight).toBe(shared);
    // Three concurrent misses wait, then each spends one token of the grant, without counting twice.
    const waiters = [1, 2, 3].map(async () => {
      await flight;
      return book.spend("k", 1, Date.now(), { count: false });
    });
    settle({ granted: 2 });
    const got = await Promise.all(waiters);
    expect(got.filter((g) => g !== null)).toHaveLength(2); // the grant, never more
    expect(got.filter((g) => g === null)).toHaveLength(1); // the third asks the object itself
    expect(book.flight("k")).toBeUndefined(); // settled flights are forgotten
  });

  it("a lease request made while requests wait asks for their tokens too", async () => {
    const book = new LeaseBook();
    for (let i = 0; i < HOT_REQUESTS_PER_SECOND; i++) book.spend("k", 1, 70_000 + i);
    expect(book.want("k", 70_010)).toBe(HOT_REQUESTS_PER_SECOND);
    let settle!: (r: { granted: number }) => void;
    const flight = book.share("k", new Promise<{ granted: number }>((resolve) => (settle = resolve)));
    const waiters = Array.from({ length: 20 }, () => book.wait("k", flight, () => "spent"));
    expect(book.want("k", 70_010)).toBe(20);
    settle({ granted: 0 });
    expect(await Promise.all(waiters)).toEqual(Array(20).fill("spent"));
    expect(book.want("k", 70_010)).toBe(HOT_REQUESTS_PER_SECOND);
  });

  it("near the limit (an empty grant) misses do not wait, and a failed flight is forgotten", async () => {
    const book = new LeaseBook();
    await book.share("k", Promise.resolve({ granted: 0 }));
    book.share("k", new Promise<{ granted: number }>(() => {}));
    expect(book.flight("k")).toBeUndefined();
    const failed = book.share("j", Promise.reject(new Error("object unavailable")));
    expect(book.flight("j")).toBe(failed);
    await expect(failed).rejects.toThrow("object unavailable");
    await Promise.resolve();
    expect(book.flight("j")).toBeUndefined();
  });
});

describe("RateLimiter.lease", () => {
  it("deducts the lease with the cost, credits returned tokens, never above capacity", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`lease-${crypto.randomUUID()}`));
    const req = { policy: "default", cost: 1, capacity: 1000, refillPerSecond: 1 / 3600, want: LEASE_MAX };
    const first = await stub.lease({ ...req, returned: 0 });
    expect(first).toMatchObject({ allowed: true, granted: 39 }); // 5 % of (999 - 200)
    expect(first.remaining).toBe(1000 - 1 - 39);
    const second = await stub.lease({ ...req, returned: 39 });
    expect(second.remaining).toBe(first.remaining + 39 - 1 - second.granted);
    const flood = await stub.lease({ ...req, cost: 0, want: 0, returned: 10_000 });
    expect(flood.remaining).toBeLessThanOrEqual(1000);
  });

  it("admits exactly the capacity however leases and direct calls interleave", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`lease-exact-${crypto.randomUUID()}`));
    const req = { policy: "ai", cost: 1, capacity: 300, refillPerSecond: 1 / 3600 };
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        i % 2 ? stub.lease({ ...req, want: LEASE_MAX, returned: 0 }) : stub.consume(req),
      ),
    );
    const handedOut = results.reduce(
      (sum, r) => sum + (r.allowed ? 1 : 0) + ("granted" in r ? (r.granted as number) : 0),
      0,
    );
    expect(handedOut).toBe(300);
  });
});

describe("leases at the gateway", () => {
  it("a hot tenant is never admitted above its quota, and is refused once bucket and lease are spent", async () => {
    const t = await newTenant();
    const { burst, quota, windowSeconds } = PLAN_QUOTAS.free.default;
    const started = Date.now();
    let ok = 0;
    let limited = 0;
    // Waves of concurrent reads make the isolate hot, so later round trips ask for leases.
    for (let wave = 0; wave < 8 && limited === 0; wave++) {
      const statuses = await Promise.all(
        Array.from({ length: 30 }, async () => (await api("/v1/projects", { token: t.apiKey })).status),
      );
      ok += statuses.filter((s) => s === 200).length;
      limited += statuses.filter((s) => s === 429).length;
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    }
    const refilled = Math.ceil(((Date.now() - started) / 1000) * (quota / windowSeconds));
    expect(limited).toBeGreaterThan(0);
    // newTenant spent a few tokens of the same bucket, so `burst + refilled` is a strict bound.
    expect(ok).toBeLessThanOrEqual(burst + refilled);
  });

  it("concurrent requests of a hot tenant share their round trips to the limiter", async () => {
    const t = await newTenant();
    await setPlan(t.orgId, "enterprise"); // a large bucket: leases of up to LEASE_MAX tokens
    const wave = async () => {
      const statuses = await Promise.all(
        Array.from({ length: 32 }, async () => (await api("/v1/projects", { token: t.apiKey })).status),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
    };
    await wave(); // hot in this isolate from here on
    const lookups = vi.spyOn(env.RATE_LIMITER, "get");
    try {
      for (let i = 0; i < 4; i++) await wave();
      // 128 requests. Without single flight every request that finds the lease spent while a
      // lease request is in flight calls the object too (dozens); with it they wait for that one.
      expect(lookups.mock.calls.length).toBeGreaterThan(0);
      expect(lookups.mock.calls.length).toBeLessThanOrEqual(16);
    } finally {
      lookups.mockRestore();
    }
  });
});
