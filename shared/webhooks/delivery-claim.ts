import { and, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { slackDeliveries } from "../db/schema/notifications.ts";
import type { webhookDeliveries } from "../db/schema/webhooks.ts";
import { MAX_QUEUE_DELAY_SECONDS } from "./routing.ts";

/**
 * Claiming a delivery row before its attempt, for both kinds of delivery that share these columns
 * (`webhook_deliveries`, and `slack_deliveries` of docs/notifications.md): a duplicate queue message
 * finds the row claimed or done and sends nothing.
 */
type DeliveryTable = typeof webhookDeliveries | typeof slackDeliveries;

/** Both tables name their columns alike; queries are built against one of them (same SQL shape). */
const columnsOf = (t: DeliveryTable) => t as typeof webhookDeliveries;

/** Claims the delivery (pending/retrying and due, or sending with an expired lease) or returns null. */
export async function claimDue<T extends DeliveryTable>(
  db: Db,
  table: T,
  key: { orgId: string; deliveryId: string },
  now: number,
  leaseMs: number,
): Promise<T["$inferSelect"] | null> {
  const t = columnsOf(table);
  const rows = await db
    .update(t)
    .set({ status: "sending", leaseUntil: now + leaseMs, updatedAt: now })
    .where(
      and(
        eq(t.orgId, key.orgId),
        eq(t.id, key.deliveryId),
        or(
          and(
            inArray(t.status, ["pending", "retrying"]),
            or(sql`${t.nextAttemptAt} IS NULL`, lte(t.nextAttemptAt, now + 1000)),
          ),
          and(eq(t.status, "sending"), lte(t.leaseUntil, now)),
        ),
      ),
    )
    .returning();
  return (rows[0] as T["$inferSelect"] | undefined) ?? null;
}

/**
 * For an unclaimable delivery: the seconds it still has to wait when it is retrying and not due yet (a
 * wait longer than the queue's 12 h cap arrives early), else null (done, cancelled, or being sent).
 */
export async function remainingWait(
  db: Db,
  table: DeliveryTable,
  key: { orgId: string; deliveryId: string },
  now: number,
): Promise<number | null> {
  const t = columnsOf(table);
  const [current] = await db
    .select({ status: t.status, nextAttemptAt: t.nextAttemptAt })
    .from(t)
    .where(and(eq(t.orgId, key.orgId), eq(t.id, key.deliveryId)))
    .limit(1);
  if (current?.status !== "retrying" || current.nextAttemptAt === null || current.nextAttemptAt <= now) {
    return null;
  }
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((current.nextAttemptAt - now) / 1000));
}

/**
 * For the sweeper (lifecycle.ts): deliveries whose queue message was lost. Pending and never claimed
 * since `before`, sending past their lease at `now`, or retrying and due before `before`.
 */
export async function stuckDeliveries(
  db: Db,
  table: DeliveryTable,
  now: number,
  before: number,
  limit: number,
): Promise<{ id: string; orgId: string }[]> {
  const t = columnsOf(table);
  return db
    .select({ id: t.id, orgId: t.orgId })
    .from(t)
    .where(
      or(
        and(eq(t.status, "pending"), lt(t.createdAt, before)),
        and(eq(t.status, "sending"), lt(t.leaseUntil, now)),
        and(eq(t.status, "retrying"), lt(t.nextAttemptAt, before)),
      ),
    )
    .limit(limit);
}
