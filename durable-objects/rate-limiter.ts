import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env.ts";

export type ConsumeRequest = {
  policy: string;
  /** Tokens this request costs (≥ 1). */
  cost: number;
  /** Bucket size. */
  capacity: number;
  /** Tokens added per second (quota / window). */
  refillPerSecond: number;
};

export type ConsumeResult = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** When denied: seconds until `cost` tokens are available. */
  retryAfterSeconds: number;
};

type Bucket = { tokens: number; updatedAt: number; capacity: number; refillPerSecond: number };

/**
 * Token buckets for one organisation (one object per org, one bucket per policy).
 * A Durable Object runs one request at a time and `consume` has no await between read and write,
 * so N concurrent calls against capacity Q admit exactly Q (plus what refills meanwhile).
 * Buckets live in memory and are written through to storage so an evicted object resumes them.
 */
export class RateLimiter extends DurableObject<Env> {
  private buckets = new Map<string, Bucket>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.list<Bucket>({ prefix: "bucket:" });
      for (const [key, bucket] of stored) this.buckets.set(key.slice("bucket:".length), bucket);
    });
  }

  consume(req: ConsumeRequest): ConsumeResult {
    const now = Date.now();
    const capacity = Math.max(1, req.capacity);
    const rate = Math.max(1e-9, req.refillPerSecond);
    const cost = Math.max(0, req.cost);
    const bucket = this.refill(req.policy, capacity, rate, now);
    const allowed = bucket.tokens >= cost;
    if (allowed) bucket.tokens -= cost;
    // Not awaited: the output gate holds the response until the write is durable.
    this.ctx.storage.put(`bucket:${req.policy}`, bucket);
    const remaining = Math.floor(bucket.tokens);
    return {
      allowed,
      limit: capacity,
      remaining,
      resetSeconds: Math.ceil((capacity - bucket.tokens) / rate),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((cost - bucket.tokens) / rate)),
    };
  }

  /** Current state of every bucket, refilled to now; for the usage endpoint. */
  usage(): Record<string, { remaining: number; capacity: number; resetSeconds: number }> {
    const now = Date.now();
    const out: Record<string, { remaining: number; capacity: number; resetSeconds: number }> = {};
    for (const [policy, b] of this.buckets) {
      const bucket = this.refill(policy, b.capacity, b.refillPerSecond, now);
      out[policy] = {
        remaining: Math.floor(bucket.tokens),
        capacity: bucket.capacity,
        resetSeconds: Math.ceil((bucket.capacity - bucket.tokens) / bucket.refillPerSecond),
      };
    }
    return out;
  }

  private refill(policy: string, capacity: number, rate: number, now: number): Bucket {
    let bucket = this.buckets.get(policy);
    if (!bucket) {
      bucket = { tokens: capacity, updatedAt: now, capacity, refillPerSecond: rate };
      this.buckets.set(policy, bucket);
    }
    // A plan change takes effect at once: keep the spent amount, apply the new size and rate.
    if (bucket.capacity !== capacity) {
      bucket.tokens = Math.max(0, capacity - (bucket.capacity - bucket.tokens));
      bucket.capacity = capacity;
    }
    bucket.refillPerSecond = rate;
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * rate);
    bucket.updatedAt = now;
    return bucket;
  }
}
