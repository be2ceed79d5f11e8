import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../audit/repository.ts";
import type { Db } from "../db/client.ts";
import { webhookEndpoints } from "../db/schema/webhooks.ts";

/**
 * Circuit breaker of outbound endpoints: this many consecutive failed attempts, spread over at least
 * the window, disable the endpoint (a burst of failures in a few minutes does not; a success resets
 * the count). Re-enabling the endpoint resets it too.
 */
export const CIRCUIT_BREAKER_FAILURES = 10;
export const CIRCUIT_BREAKER_WINDOW_MS = 60 * 60 * 1000;

/** An endpoint's failure counters right after an attempt was recorded. */
export type FailureCounters = {
  status: string;
  consecutiveFailures: number;
  firstFailureAt: number | null;
};

/** Whether a failed attempt leaving these counters trips the breaker. */
export function breakerTrips(counters: FailureCounters, now: number): boolean {
  return (
    counters.status === "active" &&
    counters.consecutiveFailures >= CIRCUIT_BREAKER_FAILURES &&
    counters.firstFailureAt !== null &&
    now - counters.firstFailureAt >= CIRCUIT_BREAKER_WINDOW_MS
  );
}

export function breakerReason(counters: FailureCounters, lastError: string | null): string {
  const since = new Date(counters.firstFailureAt ?? 0).toISOString();
  return `Circuit breaker: ${counters.consecutiveFailures} consecutive failed attempts since ${since}; last: ${lastError}`;
}

export const GONE_REASON = "The endpoint answered 410 Gone";

const SYSTEM_ACTOR = { actor: { type: "system" as const, id: "webhooks-consumer" } };

/** Disables an active endpoint and records why, audited as the system in the same batch. */
export async function disableEndpoint(
  db: Db,
  orgId: string,
  endpointId: string,
  now: number,
  reason: string,
) {
  const [current] = await db
    .select({ status: webhookEndpoints.status })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, endpointId)))
    .limit(1);
  if (current?.status !== "active") return;
  await auditedBatch(
    db,
    orgId,
    SYSTEM_ACTOR,
    {
      action: "webhook_endpoint.disable",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      changes: { reason },
    },
    () => [
      db
        .update(webhookEndpoints)
        .set({ status: "disabled", disabledReason: reason, disabledAt: now, updatedAt: now })
        .where(
          and(
            eq(webhookEndpoints.orgId, orgId),
            eq(webhookEndpoints.id, endpointId),
            eq(webhookEndpoints.status, "active"),
          ),
        ),
    ],
  );
}
