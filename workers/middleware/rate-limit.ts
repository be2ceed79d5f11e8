import type { Context, MiddlewareHandler } from "hono";
import { PLAN_QUOTAS, type Plan, type PolicyName } from "../../shared/tenancy/plans.ts";
import { ApiError, problemResponse } from "../errors.ts";
import type { HonoEnv } from "../hono-env.ts";

type Decision = { allowed: boolean; headers: Record<string, string>; message: string };

/**
 * Share of the bucket last seen left per (org, policy) in this isolate. While a tenant is far from its
 * limit, a safe request (GET/HEAD) asks the limiter and runs its read at the same time, then answers 429
 * if the limiter said no: the limiter still decides every request exactly, only the wait overlaps.
 * Near the limit, and for every write, the limiter is asked first.
 */
const lastShareLeft = new Map<string, number>();
const OVERLAP_ABOVE_SHARE = 0.2;

/**
 * Consumes `cost` tokens from the org's bucket for the route's policy (RATE_LIMITER, one object per
 * org) and sets the IETF draft headers plus the legacy X-RateLimit-* trio (docs/architecture.md).
 */
export function rateLimit(policy: PolicyName, cost = 1): MiddlewareHandler<HonoEnv> {
  return async function rateLimit(c, next) {
    const principal = c.get("principal") as HonoEnv["Variables"]["principal"] | undefined;
    if (!principal?.orgId) return next();
    const safe = c.req.method === "GET" || c.req.method === "HEAD";
    if (!safe || (lastShareLeft.get(`${principal.orgId}:${policy}`) ?? 0) <= OVERLAP_ABOVE_SHARE) {
      await consume(c, principal.orgId, policy, cost);
      return next();
    }
    const pending = decide(c, principal.orgId, principal.plan, policy, cost);
    await next();
    const decision = await pending;
    if (!decision.allowed) {
      c.res = problemResponse(c, "rate_limited", decision.message, { headers: decision.headers });
      return;
    }
    setHeaders(c, decision.headers);
  };
}

/** A response passed through from a stub or fetch has immutable headers: copy it before adding ours. */
function setHeaders(c: Context<HonoEnv>, headers: Record<string, string>) {
  try {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  } catch {
    const copy = new Response(c.res.body, c.res);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    c.res = copy;
  }
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
  const { rateLimiter } = c.get("services");
  const stub = rateLimiter.get(rateLimiter.idFromName(orgId));
  const result = await stub.consume({
    policy,
    cost,
    capacity: q.burst,
    refillPerSecond: q.quota / q.windowSeconds,
  });
  lastShareLeft.set(`${orgId}:${policy}`, result.remaining / q.burst);
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
