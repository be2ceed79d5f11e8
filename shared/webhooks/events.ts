import { and, eq, inArray, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  type Environment,
  type WebhookProvider,
  webhookDeliveries,
  webhookEvents,
  webhookSources,
} from "../db/schema/webhooks.ts";
import { organizations } from "../db/schema/tenancy.ts";
import { newId } from "../ids.ts";
import type { Plan } from "../tenancy/plans.ts";
import type { WebhookMessage } from "./consumer.ts";

export const SOURCE_ID = /^src_[0-9a-z]{26}$/;

/**
 * The source behind `/hooks/{sourceId}`. The only lookup not scoped by org: the public ingest URL is
 * what identifies the tenant (its id is 80 random bits), and the secret check follows immediately.
 */
export async function findSourceForIngest(db: Db, sourceId: string) {
  if (!SOURCE_ID.test(sourceId)) return null;
  // The org's plan rides along: ingest has no principal, and the rate limit depends on the plan.
  const rows = await db
    .select({ source: webhookSources, plan: organizations.plan })
    .from(webhookSources)
    .innerJoin(organizations, eq(organizations.id, webhookSources.orgId))
    .where(eq(webhookSources.id, sourceId))
    .limit(1);
  return rows[0] ? { ...rows[0].source, plan: rows[0].plan } : null;
}

export type NewEvent = {
  orgId: string;
  sourceId: string;
  provider: WebhookProvider;
  type: string;
  deliveryId: string;
  environment: Environment | null;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
};

/**
 * Inserts the event unless (source, provider delivery id) exists. Returns the new row, or the existing
 * one with `duplicate: true`.
 */
export async function persistEvent(db: Db, input: NewEvent) {
  const row = {
    id: newId("evt", input.receivedAt),
    ...input,
    status: "received" as const,
    round: 0,
    attempts: 0,
    // Set optimistically (ingest enqueues right after); a failed enqueue clears it.
    enqueuedAt: input.receivedAt,
    updatedAt: input.receivedAt,
  };
  const inserted = await db
    .insert(webhookEvents)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  if (inserted[0]) return { duplicate: false as const, event: row };
  const [existing] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.sourceId, input.sourceId), eq(webhookEvents.deliveryId, input.deliveryId)))
    .limit(1);
  if (!existing) throw new Error("event vanished between insert and select");
  return { duplicate: true as const, event: existing };
}

export function eventMessage(event: { orgId: string; id: string; round: number }): WebhookMessage {
  return { kind: "event", orgId: event.orgId, eventId: event.id, round: event.round };
}

export async function setEnqueued(db: Db, orgId: string, eventId: string, at: number | null) {
  await db
    .update(webhookEvents)
    .set({ enqueuedAt: at })
    .where(and(eq(webhookEvents.orgId, orgId), eq(webhookEvents.id, eventId)));
}

type IngestSource = typeof webhookSources.$inferSelect & { plan: Plan };
const SOURCE_CACHE_MS = 30_000;
const sourceCache = new Map<string, { at: number; source: IngestSource }>();

/**
 * findSourceForIngest with a 30 s per-isolate memo (hot path: one D1 read fewer per delivery).
 * Trade-off: a deleted source keeps accepting in another warm isolate for at most 30 s.
 */
export async function findSourceForIngestCached(
  db: Db,
  sourceId: string,
  now: number,
): Promise<IngestSource | null> {
  const hit = sourceCache.get(sourceId);
  if (hit && now - hit.at < SOURCE_CACHE_MS) return hit.source;
  const source = await findSourceForIngest(db, sourceId);
  if (sourceCache.size > 1000) sourceCache.clear();
  if (source) sourceCache.set(sourceId, { at: now, source });
  return source;
}

export function forgetIngestSource(sourceId: string) {
  sourceCache.delete(sourceId);
}

/** How long a message may be in flight before the sweeper assumes it was lost and sends another. */
export const STUCK_AFTER_MS = 10 * 60 * 1000;

/**
 * Finds work whose queue message was lost (enqueue failed after the write, or a message vanished) and
 * returns messages to send again. Duplicates are harmless: events are applied once per round,
 * deliveries are claimed. Cross-tenant by design (a system job); every message carries its org id.
 */
export async function findStuckWork(db: Db, now: number, limit = 500): Promise<WebhookMessage[]> {
  const before = now - STUCK_AFTER_MS;
  const events = await db
    .select({ id: webhookEvents.id, orgId: webhookEvents.orgId, round: webhookEvents.round })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.status, "received"),
        lt(webhookEvents.receivedAt, before),
        or(isNull(webhookEvents.enqueuedAt), lt(webhookEvents.enqueuedAt, before)),
      ),
    )
    .limit(limit);
  const d = webhookDeliveries;
  const deliveries = await db
    .select({ id: d.id, orgId: d.orgId })
    .from(d)
    .where(
      or(
        and(eq(d.status, "pending"), lt(d.createdAt, before)),
        and(eq(d.status, "sending"), lt(d.leaseUntil, now)),
        and(inArray(d.status, ["retrying"]), lt(d.nextAttemptAt, before)),
      ),
    )
    .limit(limit);
  return [
    ...events.map((e) => eventMessage(e)),
    ...deliveries.map((x) => ({ kind: "deliver" as const, orgId: x.orgId, deliveryId: x.id })),
  ];
}
