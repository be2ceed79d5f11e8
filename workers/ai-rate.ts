import { eq } from "drizzle-orm";
import type { AiRateVerdict } from "../shared/ai/service.ts";
import { organizations } from "../shared/db/schema/tenancy.ts";
import { PLAN_QUOTAS } from "../shared/tenancy/plans.ts";
import type { Services } from "./services.ts";

/**
 * The `ai` rate-limit policy for calls that no request pays for: each AI call of a workflow takes one
 * token from the org's `ai` bucket in its RateLimiter object, sized by the org's plan like the HTTP
 * routes' (docs/ai.md). Asked of the object itself: a queue consumer holds no leases.
 */
export function aiTokenSpender(services: Pick<Services, "db" | "rateLimiter">) {
  return async function spendAiToken(orgId: string): Promise<AiRateVerdict> {
    const [org] = await services.db
      .select({ plan: organizations.plan })
      .from(organizations)
      .where(eq(organizations.id, orgId))
      .limit(1);
    const quota = PLAN_QUOTAS[org?.plan ?? "free"].ai;
    const limiter = services.rateLimiter.get(services.rateLimiter.idFromName(orgId));
    const result = await limiter.consume({
      policy: "ai",
      cost: 1,
      capacity: quota.burst,
      refillPerSecond: quota.quota / quota.windowSeconds,
    });
    return { allowed: result.allowed, retryAfterSeconds: result.retryAfterSeconds };
  };
}
