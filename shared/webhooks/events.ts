import { and, asc, desc, eq, lt, type SQL } from "drizzle-orm";
import type { EventFilter, EventListQuery } from "../contract/webhooks.ts";
import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { webhookAttempts, webhookDeliveries, webhookEvents } from "../db/schema/webhooks.ts";
import { toPage } from "../pagination.ts";

/** Reading the org's inbound events, their outbound deliveries and the attempt log. */

export type WebhookEventRow = typeof webhookEvents.$inferSelect;

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

/** A newest-first page of the org's events matching the filter. */
export async function listEvents(db: Db, orgId: string, query: EventListQuery) {
  const where = eventFilters(orgId, query);
  if (query.cursor) where.push(lt(webhookEvents.id, query.cursor));
  const rows = await db
    .select()
    .from(webhookEvents)
    .where(and(...where))
    .orderBy(desc(webhookEvents.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}

export function requireEvent(db: Db, orgId: string, eventId: string): Promise<WebhookEventRow> {
  return requireInOrg(db, webhookEvents, orgId, eventId, "Webhook event");
}

/** The event with every delivery of every round, oldest first. */
export async function getEventWithDeliveries(db: Db, orgId: string, eventId: string) {
  const event = await requireEvent(db, orgId, eventId);
  const deliveries = await db
    .select()
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
