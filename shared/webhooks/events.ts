import { and, asc, desc, eq, getTableColumns, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { EventFilter, EventListQuery, EventStatus } from "../contract/webhooks.ts";
import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { webhookAttempts, webhookDeliveries, webhookEvents } from "../db/schema/webhooks.ts";
import { type PageQuery, toPage } from "../pagination.ts";

/** Reading the org's inbound events, their outbound deliveries and the attempt log. */

export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/**
 * One round of one event: a replay starts the next round, and a write meant for an earlier one then
 * matches nothing.
 */
export const eventRound = (event: { orgId: string; id: string; round: number }) =>
  and(
    eq(webhookEvents.orgId, event.orgId),
    eq(webhookEvents.id, event.id),
    eq(webhookEvents.round, event.round),
  );

/**
 * As `eventRound`, while that round is still received or failed: what a failed attempt or the dead-letter
 * consumer updates, so a processed or dead round is never moved back.
 */
export const openEventRound = (event: { orgId: string; id: string; round: number }) =>
  and(eventRound(event), inArray(webhookEvents.status, ["received", "failed"]));

/** The SQL conditions of an event filter, always scoped to `orgId`. */
export function eventFilters(orgId: string, filter: EventFilter): SQL[] {
  const t = webhookEvents;
  const where: SQL[] = [eq(t.orgId, orgId)];
  if (filter.provider) where.push(eq(t.provider, filter.provider));
  if (filter.type) where.push(eq(t.type, filter.type));
  if (filter.env) where.push(eq(t.environment, filter.env));
  if (filter.sourceId) where.push(eq(t.sourceId, filter.sourceId));
  if (filter.status) where.push(eq(t.status, filter.status));
  return where;
}

/** Deliveries of an event's current round that count (cancelled ones do not), and those failing. */
export type DeliveryCounts = { deliveriesTotal: number; deliveriesFailing: number };

/** A failed delivery, or one retrying after a failed attempt: the endpoint is not getting the event. */
const FAILING = ["failed", "retrying"];

/**
 * What the dashboard shows for an event (docs/webhooks.md): its status, except that a processed event
 * whose every delivery of the current round is failing is "failing", not "processed".
 */
export function displayStatus(status: EventStatus, counts: DeliveryCounts): EventStatus | "failing" {
  const failing = counts.deliveriesTotal > 0 && counts.deliveriesFailing === counts.deliveriesTotal;
  return status === "processed" && failing ? "failing" : status;
}

/** The counts of a list of deliveries, for the event's current round. */
export function countDeliveries(
  round: number,
  deliveries: { round: number; status: string }[],
): DeliveryCounts {
  const current = deliveries.filter((d) => d.round === round && d.status !== "cancelled");
  return {
    deliveriesTotal: current.length,
    deliveriesFailing: current.filter((d) => FAILING.includes(d.status)).length,
  };
}

// Correlated subqueries name the outer table in full: drizzle renders a one-table select's columns unqualified.
const roundDeliveries = (status: SQL) =>
  sql<number>`(select count(*) from webhook_deliveries d where d.org_id = webhook_events.org_id and d.event_id = webhook_events.id and d.round = webhook_events.round and ${status})`;

/** A newest-first page of the org's events matching the filter, with their current round's delivery counts. */
export async function listEvents(db: Db, orgId: string, query: EventListQuery) {
  const where = eventFilters(orgId, query);
  if (query.cursor) where.push(lt(webhookEvents.id, query.cursor));
  const rows = await db
    .select({
      ...getTableColumns(webhookEvents),
      deliveriesTotal: roundDeliveries(sql.raw("d.status <> 'cancelled'")),
      deliveriesFailing: roundDeliveries(sql.raw(`d.status in (${FAILING.map((f) => `'${f}'`).join(", ")})`)),
    })
    .from(webhookEvents)
    .where(and(...where))
    .orderBy(desc(webhookEvents.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}

export function requireEvent(db: Db, orgId: string, eventId: string): Promise<WebhookEventRow> {
  return requireInOrg(db, webhookEvents, orgId, eventId, "Webhook event");
}

const d = webhookDeliveries;
/** A delivery's columns plus the start of its latest attempt's response body. */
const deliveryColumns = {
  ...getTableColumns(webhookDeliveries),
  lastResponseSnippet: sql<
    string | null
  >`(select a.response_snippet from webhook_attempts a where a.org_id = webhook_deliveries.org_id and a.event_id = webhook_deliveries.event_id and a.delivery_id = webhook_deliveries.id order by a.id desc limit 1)`,
};

/** The event with every delivery of every round, oldest first. */
export async function getEventWithDeliveries(db: Db, orgId: string, eventId: string) {
  const event = await requireEvent(db, orgId, eventId);
  const deliveries = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.eventId, event.id)))
    .orderBy(asc(webhookDeliveries.id));
  return { event, deliveries };
}

/** Every processing and delivery attempt of the event, oldest first (at most 1000). */
export async function listAttempts(db: Db, orgId: string, eventId: string) {
  const event = await requireEvent(db, orgId, eventId);
  return db
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.orgId, orgId), eq(webhookAttempts.eventId, event.id)))
    .orderBy(asc(webhookAttempts.id))
    .limit(1000);
}

/**
 * A newest-first page of the deliveries to one endpoint (with their event's type), and counts over all of
 * them: the endpoint page's success rate. The caller has checked the endpoint belongs to `orgId`.
 */
export async function listEndpointDeliveries(db: Db, orgId: string, endpointId: string, query: PageQuery) {
  const scope = and(eq(d.orgId, orgId), eq(d.endpointId, endpointId));
  const [rows, [stats]] = await Promise.all([
    db
      .select({ ...deliveryColumns, eventType: webhookEvents.type })
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, and(eq(webhookEvents.orgId, d.orgId), eq(webhookEvents.id, d.eventId)))
      .where(query.cursor ? and(scope, lt(d.id, query.cursor)) : scope)
      .orderBy(desc(d.id))
      .limit(query.limit + 1),
    db
      .select({
        total: sql<number>`count(*)`,
        succeeded: sql<number>`coalesce(sum(${d.status} = 'succeeded'), 0)`,
        failed: sql<number>`coalesce(sum(${d.status} = 'failed'), 0)`,
      })
      .from(webhookDeliveries)
      .where(scope),
  ]);
  const done = (stats?.succeeded ?? 0) + (stats?.failed ?? 0);
  return {
    ...toPage(rows, query.limit),
    stats: {
      total: stats?.total ?? 0,
      succeeded: stats?.succeeded ?? 0,
      failed: stats?.failed ?? 0,
      successRate: done === 0 ? null : (stats?.succeeded ?? 0) / done,
    },
  };
}
