import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { aiLedger, aiSettings } from "../db/schema/ai.ts";
import { ApiError } from "../errors.ts";

/** Budgets are per calendar month in UTC. */
export function monthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export type MonthUsage = { calls: number; tokensIn: number; tokensOut: number; costMicros: number };

/** This month's sums of the org's ledger (failed calls count as calls with no tokens). */
export async function monthUsage(db: Db, orgId: string, now: number): Promise<MonthUsage> {
  const [row] = await db
    .select({
      calls: sql<number>`count(*)`,
      tokensIn: sql<number>`coalesce(sum(${aiLedger.tokensIn}), 0)`,
      tokensOut: sql<number>`coalesce(sum(${aiLedger.tokensOut}), 0)`,
      costMicros: sql<number>`coalesce(sum(${aiLedger.costMicros}), 0)`,
    })
    .from(aiLedger)
    .where(and(eq(aiLedger.orgId, orgId), gte(aiLedger.createdAt, monthStart(now))));
  return {
    calls: Number(row?.calls ?? 0),
    tokensIn: Number(row?.tokensIn ?? 0),
    tokensOut: Number(row?.tokensOut ?? 0),
    costMicros: Number(row?.costMicros ?? 0),
  };
}

export type AiSettingsRow = typeof aiSettings.$inferSelect;

export async function loadAiSettings(db: Db, orgId: string): Promise<AiSettingsRow | null> {
  const [row] = await db.select().from(aiSettings).where(eq(aiSettings.orgId, orgId)).limit(1);
  return row ?? null;
}

export type Budget = { monthlyTokenCap: number | null; monthlyCostCapMicros: number | null };

/**
 * Refuses a call whose worst case (prompt estimate plus the output cap, priced at the model's list
 * price) would take this month's usage over either cap: 402 `budget_exceeded`, with `Retry-After`
 * pointing at the next month. Checked before the call, so a budget is never overrun by more than the
 * calls already in flight (docs/ai.md).
 */
export function assertWithinBudget(
  budget: Budget,
  used: MonthUsage,
  worst: { tokens: number; costMicros: number },
  now: number,
) {
  const retryAfter = String(Math.ceil((nextMonthStart(now) - now) / 1000));
  const tokens = used.tokensIn + used.tokensOut;
  if (budget.monthlyTokenCap !== null && tokens + worst.tokens > budget.monthlyTokenCap) {
    throw new ApiError(
      "budget_exceeded",
      `The monthly AI token budget (${budget.monthlyTokenCap}) would be exceeded: ${tokens} used, this call may take up to ${worst.tokens}`,
      { headers: { "Retry-After": retryAfter } },
    );
  }
  if (
    budget.monthlyCostCapMicros !== null &&
    used.costMicros + worst.costMicros > budget.monthlyCostCapMicros
  ) {
    throw new ApiError(
      "budget_exceeded",
      `The monthly AI cost budget ($${(budget.monthlyCostCapMicros / 1e6).toFixed(2)}) would be exceeded: $${(used.costMicros / 1e6).toFixed(4)} used`,
      { headers: { "Retry-After": retryAfter } },
    );
  }
}
