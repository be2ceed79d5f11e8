/**
 * Token leases an isolate spends locally (docs/architecture.md, "Rate limits").
 *
 * The RateLimiter Durable Object decides every token exactly. While a tenant is far from its limit it
 * hands the asking isolate a few extra tokens (a lease, already deducted from the bucket) together
 * with the tokens of the request; the isolate spends them on its next requests without a round trip.
 * The org can never be admitted above its quota, because a leased token left the bucket when it was
 * granted. What a lease costs is fairness at the edge: tokens idle in one isolate for up to LEASE_TTL_MS
 * are not available to another (they are handed back on that isolate's next call to the limiter), and
 * an isolate that dies loses its unspent lease until the bucket refills. Leases are asked for only by
 * an isolate that is hot for that tenant (HOT_CALLS_PER_SECOND round trips in the last second), and
 * near the limit the object grants none: a quiet tenant, or one close to its limit, has every request
 * decided by the object itself.
 */
export const LEASE_TTL_MS = 2_000;
/** The object grants a lease only while more than this share of the bucket is left… */
export const LEASE_ABOVE_SHARE = 0.2;
/** …and then at most this share of what is left, capped at LEASE_MAX tokens. */
export const LEASE_SHARE = 0.05;
export const LEASE_MAX = 64;
/** Round trips per second to one tenant's object from one isolate before that isolate asks for leases. */
export const HOT_CALLS_PER_SECOND = 10;

/** How many extra tokens to lease out of `tokensLeft` of a bucket of `capacity`. */
export function leaseSize(tokensLeft: number, capacity: number, want: number): number {
  if (capacity <= 0 || tokensLeft / capacity <= LEASE_ABOVE_SHARE) return 0;
  const above = tokensLeft - capacity * LEASE_ABOVE_SHARE;
  return Math.max(0, Math.min(want, LEASE_MAX, Math.floor(above * LEASE_SHARE)));
}

export type LeaseSnapshot = {
  /** What the object said was left after this grant (leased tokens excluded). */
  remaining: number;
  resetSeconds: number;
  limit: number;
};

type Lease = LeaseSnapshot & { tokens: number; expiresAt: number };

/** The leases one isolate holds, per (org, policy, plan). */
export class LeaseBook {
  readonly #leases = new Map<string, Lease>();
  readonly #calls = new Map<string, { since: number; count: number }>();

  /** Counts a round trip for `key`; the extra tokens to ask for: LEASE_MAX once the key is hot. */
  want(key: string, now: number): number {
    let calls = this.#calls.get(key);
    if (!calls || now - calls.since >= 1000) {
      if (this.#calls.size > 10_000) this.#calls.clear(); // bounded memory in a long-lived isolate
      calls = { since: now, count: 0 };
      this.#calls.set(key, calls);
    }
    calls.count++;
    return calls.count > HOT_CALLS_PER_SECOND ? LEASE_MAX : 0;
  }

  /** Spends `cost` leased tokens if a live lease has them; returns the headers' view or null. */
  spend(key: string, cost: number, now: number): (LeaseSnapshot & { tokens: number }) | null {
    const lease = this.#leases.get(key);
    if (!lease || lease.expiresAt <= now || lease.tokens < cost) return null;
    lease.tokens -= cost;
    return {
      remaining: lease.remaining,
      resetSeconds: lease.resetSeconds,
      limit: lease.limit,
      tokens: lease.tokens,
    };
  }

  /** Takes back the unspent tokens of `key` (expired or too few) to return them to the object. */
  release(key: string): number {
    const lease = this.#leases.get(key);
    if (!lease) return 0;
    this.#leases.delete(key);
    return lease.tokens;
  }

  /** Adds a grant from the object (concurrent grants add up; the newest snapshot wins). */
  absorb(key: string, granted: number, snapshot: LeaseSnapshot, now: number) {
    if (granted <= 0) return;
    const lease = this.#leases.get(key);
    const tokens = (lease && lease.expiresAt > now ? lease.tokens : 0) + granted;
    this.#leases.set(key, { ...snapshot, tokens, expiresAt: now + LEASE_TTL_MS });
  }
}
