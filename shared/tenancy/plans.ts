/**
 * Plan tiers and their per-policy quotas. A quota `q` per window `w` seconds refills continuously;
 * `burst` is the bucket size (how many back-to-back requests a quiet tenant may send).
 */
export const PLANS = ["free", "pro", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];

export const POLICIES = ["default", "heal", "ai", "ingest", "webhooks"] as const;
export type PolicyName = (typeof POLICIES)[number];

export type Quota = { quota: number; windowSeconds: number; burst: number };

export const PLAN_QUOTAS: Record<Plan, Record<PolicyName, Quota>> = {
  free: {
    default: { quota: 120, windowSeconds: 60, burst: 120 },
    heal: { quota: 60, windowSeconds: 60, burst: 60 },
    ai: { quota: 20, windowSeconds: 3600, burst: 20 },
    ingest: { quota: 30, windowSeconds: 3600, burst: 10 },
    webhooks: { quota: 600, windowSeconds: 60, burst: 600 },
  },
  pro: {
    default: { quota: 1200, windowSeconds: 60, burst: 1200 },
    heal: { quota: 600, windowSeconds: 60, burst: 600 },
    ai: { quota: 500, windowSeconds: 3600, burst: 100 },
    ingest: { quota: 600, windowSeconds: 3600, burst: 100 },
    webhooks: { quota: 6000, windowSeconds: 60, burst: 6000 },
  },
  enterprise: {
    default: { quota: 20000, windowSeconds: 60, burst: 20000 },
    heal: { quota: 10000, windowSeconds: 60, burst: 10000 },
    ai: { quota: 5000, windowSeconds: 3600, burst: 1000 },
    ingest: { quota: 10000, windowSeconds: 3600, burst: 2000 },
    webhooks: { quota: 60000, windowSeconds: 60, burst: 60000 },
  },
};
