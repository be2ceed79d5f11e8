import type { Usage } from "../contract/tenancy.ts";
import { PLAN_QUOTAS, type Plan, POLICIES } from "./plans.ts";

/** What the rate limiter reports per policy it has seen (a policy never used has no bucket yet). */
export type BucketState = Record<string, { remaining: number; resetSeconds: number }>;

/**
 * The plan's quota per policy with what is left of it. A policy without a bucket is full; the
 * remaining count never exceeds the plan's burst (a bucket may predate a plan change).
 */
export function usageReport(plan: Plan, state: BucketState): Usage {
  const policies = POLICIES.map((policy) => {
    const q = PLAN_QUOTAS[plan][policy];
    const s = state[policy];
    return {
      policy,
      ...q,
      remaining: s ? Math.min(s.remaining, q.burst) : q.burst,
      resetSeconds: s?.resetSeconds ?? 0,
    };
  });
  return { plan, policies };
}
