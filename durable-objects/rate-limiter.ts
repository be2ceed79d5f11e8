import { DurableObject } from "cloudflare:workers";
import { leaseSize } from "../shared/rate-limit/leases.ts";

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
  /**
   * The org's auth epoch: bumped whenever a key's validity or reach changes (revocation, demotion,
   * removal, plan change). Isolates drop cached key lookups older than it (shared/tenancy/api-key-cache.ts).
   */
  authEpoch: number;
};

export type LeaseRequest = ConsumeRequest & {
  /** Extra tokens the isolate would like to hold for its next requests. */
  want: number;
  /** Unspent tokens of the isolate's previous lease, credited back before deciding. */
  returned: number;
};

export type LeaseResult = ConsumeResult & {
  /** Extra tokens handed to the isolate (already deducted from the bucket). */
  granted: number;
};

const FLUSH_MS = 250;
const EPOCH_KEY = "auth-epoch";

type Bucket = { tokens: number; updatedAt: number; capacity: number; refillPerSecond: number };

/**
 * Token buckets for one organisation (one object per org, one bucket per policy), and the org's auth
 * epoch (docs/architecture.md, "Caches on the request path").
 * A Durable Object runs one request at a time and `consume` has no await between read and write,
 * so N concurrent calls against capacity Q admit exactly Q (plus what refills meanwhile).
 * Buckets live in memory and are written behind to storage (every 250 ms at most) so an evicted object
 * resumes them.
 */
/** The limiter reads no bindings: its state is its own storage. */
export type RateLimiterEnv = Record<string, never>;

export class RateLimiter extends DurableObject<RateLimiterEnv> {
  private buckets = new Map<string, Bucket>();
  private authEpoch = 0;

  constructor(ctx: DurableObjectState, env: RateLimiterEnv) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.list<Bucket>({ prefix: "bucket:" });
      for (const [key, bucket] of stored) this.buckets.set(key.slice("bucket:".length), bucket);
      this.authEpoch = (await ctx.storage.get<number>(EPOCH_KEY)) ?? 0;
    });
  }

  /**
   * Starts a new auth epoch for the org; durable before it answers, because an isolate that reads an
   * older epoch afterwards would keep trusting a revoked key's cached lookup.
   */
  async bumpAuthEpoch(): Promise<number> {
    this.authEpoch += 1;
    const epoch = this.authEpoch;
    await this.ctx.storage.put(EPOCH_KEY, epoch);
    return epoch;
  }

  /** One request's tokens: a lease that asks for nothing extra and returns nothing. */
  consume(req: ConsumeRequest): ConsumeResult {
    const { granted: _, ...result } = this.lease({ ...req, want: 0, returned: 0 });
    return result;
  }

  /**
   * `consume`, plus a lease of extra tokens while the bucket is far from empty (see
   * shared/rate-limit/leases.ts). Returned tokens are credited first, never above capacity.
   */
  lease(req: LeaseRequest): LeaseResult {
    const now = Date.now();
    const capacity = Math.max(1, req.capacity);
    const rate = Math.max(1e-9, req.refillPerSecond);
    const cost = Math.max(0, req.cost);
    const bucket = this.refill(req.policy, capacity, rate, now);
    bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, Math.floor(req.returned)));
    const allowed = bucket.tokens >= cost;
    let granted = 0;
    if (allowed) {
      bucket.tokens -= cost;
      granted = leaseSize(bucket.tokens, capacity, Math.max(0, Math.floor(req.want)));
      bucket.tokens -= granted;
    }
    this.persistSoon(req.policy);
    return {
      allowed,
      granted,
      limit: capacity,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((capacity - bucket.tokens) / rate),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((cost - bucket.tokens) / rate)),
      authEpoch: this.authEpoch,
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

  private dirty = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Write-behind, at most every FLUSH_MS: a storage write per request would cost more than the decision
   * itself. Decisions are made in memory either way (exact); only an eviction inside the window can
   * forget that window's spending, which refill would mostly have restored anyway.
   */
  private persistSoon(policy: string) {
    this.dirty.add(policy);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const entries: Record<string, Bucket> = {};
      for (const name of this.dirty) {
        const bucket = this.buckets.get(name);
        if (bucket) entries[`bucket:${name}`] = bucket;
      }
      this.dirty.clear();
      this.ctx.storage.put(entries).catch(() => undefined);
    }, FLUSH_MS);
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
