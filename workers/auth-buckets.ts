import type { TokenBuckets } from "../shared/auth/throttle.ts";
import type { Services } from "./services.ts";

/** shared/auth/throttle.ts's buckets over the RateLimiter Durable Object, one object per key. */
export function authBuckets(limiter: Services["rateLimiter"]): TokenBuckets {
  const stub = (key: string) => limiter.get(limiter.idFromName(key));
  return {
    async take(key, policy, bucket) {
      const result = await stub(key).consume({ policy, cost: 1, ...bucket });
      return { allowed: result.allowed, retryAfterSeconds: result.retryAfterSeconds };
    },
    async giveBack(key, policy, bucket) {
      // A lease of nothing that returns one token: the object credits it back, capped at capacity.
      await stub(key).lease({ policy, cost: 0, want: 0, returned: 1, ...bucket });
    },
  };
}
