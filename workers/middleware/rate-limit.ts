import type { Context, MiddlewareHandler } from "hono";
import { LeaseBook } from "../../shared/rate-limit/leases.ts";
import { noteAuthEpoch } from "../../shared/tenancy/api-key-cache.ts";
import { PLAN_QUOTAS, type Plan, type PolicyName, type Quota } from "../../shared/tenancy/plans.ts";
import { ApiError } from "../errors.ts";
import type { HonoEnv } from "../hono-env.ts";
import { reauthenticateIfStale } from "./auth.ts";

type Decision = { allowed: boolean; headers: Record<string, string>; message: string };

/**
 * The leases this isolate holds (shared/rate-limit/leases.ts): while a tenant is far from its limit
 * most requests spend a leased token here instead of a round trip to the RateLimiter object, which
 * still hands out every token exactly once.
 */
const leases = new LeaseBook();

/**
 * Flights one request waits for before it asks the object itself. A flight's lease is sized to this
 * isolate's traffic and to the requests waiting for it, so a second wait is rare; the bound keeps a
 * request from queueing behind lease requests that keep coming back short.
 */
const MAX_FLIGHT_WAITS = 3;

/**
 * Consumes `cost` tokens from the org's bucket for the route's policy (RATE_LIMITER, one object per
 * org) and sets the IETF draft headers plus the legacy X-RateLimit-* trio (docs/http-conventions.md).
 * The object's answer carries the org's auth epoch: a key principal cached before it is resolved again.
 */
export function rateLimit(policy: PolicyName, cost = 1): MiddlewareHandler<HonoEnv> {
  return async function rateLimit(c, next) {
    const principal = c.get("principal") as HonoEnv["Variables"]["principal"] | undefined;
    if (!principal?.orgId) return next();
    await consumeForPlan(c, principal.orgId, principal.plan, policy, cost);
    await reauthenticateIfStale(c);
    await next();
  };
}

/** Charges extra tokens inside a handler (e.g. a heal with thousands of candidates costs more). */
export function consume(c: Context<HonoEnv>, orgId: string, policy: PolicyName, cost: number) {
  return consumeForPlan(c, orgId, c.get("principal").plan, policy, cost);
}

/** As `consume`, for routes without a principal (public webhook ingest knows the org from the source). */
export async function consumeForPlan(
  c: Context<HonoEnv>,
  orgId: string,
  plan: Plan,
  policy: PolicyName,
  cost: number,
) {
  const decision = await decide(c, orgId, plan, policy, cost);
  if (!decision.allowed) throw new ApiError("rate_limited", decision.message, { headers: decision.headers });
  for (const [name, value] of Object.entries(decision.headers)) c.header(name, value);
}

async function decide(
  c: Context<HonoEnv>,
  orgId: string,
  plan: Plan,
  policy: PolicyName,
  cost: number,
): Promise<Decision> {
  const q = PLAN_QUOTAS[plan][policy];
  const key = `${orgId}:${policy}:${plan}`;
  const fromLease = (local: { remaining: number; tokens: number; resetSeconds: number }) =>
    decisionOf(policy, plan, q, {
      allowed: true,
      remaining: local.remaining + local.tokens,
      resetSeconds: local.resetSeconds,
      retryAfterSeconds: 0,
    });
  const local = leases.spend(key, cost, Date.now());
  if (local) return fromLease(local);
  // Concurrent misses of one key share the lease request in flight (LeaseBook.flight): a request
  // waits for up to MAX_FLIGHT_WAITS of them, then asks the object itself.
  for (let waits = 0; waits < MAX_FLIGHT_WAITS; waits++) {
    const flight = leases.flight(key);
    if (!flight) break;
    const shared = await leases.wait(key, flight, () =>
      leases.spend(key, cost, Date.now(), { count: false }),
    );
    if (shared) return fromLease(shared);
  }
  const { rateLimiter } = c.get("services");
  const stub = rateLimiter.get(rateLimiter.idFromName(orgId));
  const want = leases.want(key, Date.now());
  const call = stub
    .lease({
      policy,
      cost,
      capacity: q.burst,
      refillPerSecond: q.quota / q.windowSeconds,
      want,
      returned: leases.release(key),
    })
    .then((result) => {
      noteAuthEpoch(orgId, result.authEpoch);
      leases.absorb(key, result.granted, result, Date.now());
      return result;
    });
  const result = await (want > 0 ? leases.share(key, call) : call);
  return decisionOf(policy, plan, q, { ...result, remaining: result.remaining + result.granted });
}

function decisionOf(
  policy: PolicyName,
  plan: Plan,
  q: Quota,
  result: { allowed: boolean; remaining: number; resetSeconds: number; retryAfterSeconds: number },
): Decision {
  const headers: Record<string, string> = {
    "RateLimit-Policy": `"${policy}";q=${q.quota};w=${q.windowSeconds}`,
    RateLimit: `"${policy}";r=${result.remaining};t=${result.resetSeconds}`,
    "X-RateLimit-Limit": String(q.quota),
    "X-RateLimit-Remaining": String(result.remaining),
    "X-RateLimit-Reset": String(result.resetSeconds),
  };
  if (!result.allowed) headers["Retry-After"] = String(result.retryAfterSeconds);
  return {
    allowed: result.allowed,
    headers,
    message: `Rate limit for policy "${policy}" exceeded on the ${plan} plan`,
  };
}
