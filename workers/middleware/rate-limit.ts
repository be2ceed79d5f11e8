import type { Context, MiddlewareHandler } from "hono";
import { PLAN_QUOTAS, type Plan, type PolicyName, policyFor } from "../../shared/tenancy/plans.ts";
import { ApiError } from "../errors.ts";
import type { HonoEnv } from "../hono-env.ts";

/**
 * Consumes `cost` tokens from the org's bucket for the path's policy (RATE_LIMITER, one object per org)
 * and sets the IETF draft headers plus the legacy X-RateLimit-* trio (DESIGN §4).
 */
export function rateLimit(): MiddlewareHandler<HonoEnv> {
  return async function rateLimit(c, next) {
    const principal = c.get("principal") as HonoEnv["Variables"]["principal"] | undefined;
    if (!principal?.orgId) return next();
    await consume(c, principal.orgId, policyFor(c.req.method, c.req.path), 1);
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
  const q = PLAN_QUOTAS[plan][policy];
  const stub = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(orgId));
  const result = await stub.consume({
    policy,
    cost,
    capacity: q.burst,
    refillPerSecond: q.quota / q.windowSeconds,
  });
  const headers: Record<string, string> = {
    "RateLimit-Policy": `"${policy}";q=${q.quota};w=${q.windowSeconds}`,
    RateLimit: `"${policy}";r=${result.remaining};t=${result.resetSeconds}`,
    "X-RateLimit-Limit": String(q.quota),
    "X-RateLimit-Remaining": String(result.remaining),
    "X-RateLimit-Reset": String(result.resetSeconds),
  };
  if (!result.allowed) {
    throw new ApiError("rate_limited", `Rate limit for policy "${policy}" exceeded on the ${plan} plan`, {
      headers: { ...headers, "Retry-After": String(result.retryAfterSeconds) },
    });
  }
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
}
