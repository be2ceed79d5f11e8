/**
 * Token leases an isolate spends locally (docs/architecture.md, "Caches on the request path").
 *
 * The RateLimiter Durable Object decides every token exactly. While a tenant is far from its limit it
 * hands the asking isolate a few extra tokens (a lease, already deducted from the bucket) together
 * with the tokens of the request; the isolate spends them on its next requests without a round trip.
 * The org can never be admitted above its quota, because a leased token left the bucket when it was
 * granted. What a lease costs is fairness at the edge: tokens idle in one isolate for up to LEASE_TTL_MS
 * are not available to another (they are handed back on that isolate's next call to the limiter), and
 * an isolate that dies loses its unspent lease until the bucket refills. An isolate asks for a lease
 * only while the tenant is hot in it (HOT_REQUESTS_PER_SECOND), and for about one TTL's worth of its
 * own traffic; near the limit the object grants none: a quiet tenant, or one close to its limit, has
 * every request decided by the object itself.
 */
export const LEASE_TTL_MS = 1_000;
/** The object grants a lease only while more than this share of the bucket is left… */
export const LEASE_ABOVE_SHARE = 0.2;
/** …and then at most this share of what is left, capped at LEASE_MAX tokens. */
export const LEASE_SHARE = 0.05;
export const LEASE_MAX = 64;
/** Requests per second for one tenant's policy in one isolate before that isolate asks for leases. */
export const HOT_REQUESTS_PER_SECOND = 4;

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

/** Requests seen for a key in the current one-second window, and in the one before. */
type Traffic = { since: number; count: number; previous: number };

/** The leases one isolate holds, per (org, policy, plan). */
export class LeaseBook {
  readonly #leases = new Map<string, Lease>();
  readonly #traffic = new Map<string, Traffic>();
  /** The round trip in flight per key that asks for a lease (see `share`). */
  readonly #flights = new Map<string, Promise<unknown>>();
  /** Keys whose last lease request was granted nothing (near the limit): misses do not wait there. */
  readonly #dry = new Set<string>();
  /** Requests waiting for a flight per key: the next lease request asks for their tokens too. */
  readonly #waiting = new Map<string, number>();

  /**
   * The extra tokens to ask for with a round trip for `key`: none while the key is cold here, else
   * about what this isolate spends in one lease TTL at its current rate, at most LEASE_MAX.
   */
  want(key: string, now: number): number {
    const t = this.#traffic.get(key);
    const age = t ? now - t.since : Number.POSITIVE_INFINITY;
    // The busier of the last full second and the current one.
    const perSecond = age < 1000 ? Math.max(t!.count, t!.previous) : age < 2000 ? t!.count : 0;
    if (perSecond < HOT_REQUESTS_PER_SECOND) return 0;
    const waiting = this.#waiting.get(key) ?? 0;
    return Math.min(LEASE_MAX, Math.max(waiting, Math.ceil((perSecond * LEASE_TTL_MS) / 1000)));
  }

  /**
   * Counts a request for `key` and spends `cost` leased tokens if a live lease has them; returns the
   * headers' view, or null when the object must decide.
   */
  spend(
    key: string,
    cost: number,
    now: number,
    { count = true } = {},
  ): (LeaseSnapshot & { tokens: number }) | null {
    if (count) this.#count(key, now);
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

  /**
   * Single flight: while a round trip that asks for a lease is in flight for `key`, a concurrent miss
   * waits for it and then tries the lease it brought (about a second of this isolate's traffic), instead
   * of calling the object too. Exactness is untouched: every token still comes from the object once.
   * Returns the flight to wait for, or undefined when there is none or the last grant was empty (near
   * the limit each request is decided by the object, and waiting would only add a round trip).
   */
  flight(key: string): Promise<unknown> | undefined {
    return this.#dry.has(key) ? undefined : this.#flights.get(key);
  }

  /**
   * Waits for `flight` (counted as waiting, so a lease request made meanwhile asks for this request's
   * tokens too), then tries `spend` on what it brought. A failed flight is not this request's error:
   * it then tries for itself.
   */
  async wait<T>(key: string, flight: Promise<unknown>, spend: () => T): Promise<T> {
    this.#waiting.set(key, (this.#waiting.get(key) ?? 0) + 1);
    try {
      await flight.catch(() => undefined);
    } finally {
      const left = (this.#waiting.get(key) ?? 1) - 1;
      if (left > 0) this.#waiting.set(key, left);
      else this.#waiting.delete(key);
    }
    return spend();
  }

  /** Registers `call` (a lease request asking for `want` > 0 tokens) as the flight of `key` until it settles. */
  share<T extends { granted: number }>(key: string, call: Promise<T>): Promise<T> {
    const flight = call.then((result) => {
      if (result.granted > 0) this.#dry.delete(key);
      else this.#dry.add(key);
      return result;
    });
    this.#flights.set(key, flight);
    const done = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    flight.then(done, done);
    return flight;
  }

  #count(key: string, now: number) {
    const t = this.#traffic.get(key);
    if (!t) {
      if (this.#traffic.size > 10_000) {
        // Bounded memory in a long-lived isolate.
        this.#traffic.clear();
        this.#dry.clear();
      }
      this.#traffic.set(key, { since: now, count: 1, previous: 0 });
    } else if (now - t.since >= 1000) {
      t.previous = now - t.since < 2000 ? t.count : 0;
      t.since = now;
      t.count = 1;
    } else {
      t.count++;
    }
  }
}
