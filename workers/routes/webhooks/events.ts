import { z } from "@hono/zod-openapi";
import { findInOrg } from "../../../shared/db/org-scoped.ts";
import { and, asc, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import type { Db } from "../../../shared/db/client.ts";
import {
  ENVIRONMENTS,
  EVENT_STATUSES,
  WEBHOOK_PROVIDERS,
  webhookAttempts,
  webhookDeliveries,
  webhookEvents,
} from "../../../shared/db/schema/webhooks.ts";
import { pageQuerySchema, toPage } from "../../../shared/pagination.ts";
import type { WebhookMessage } from "../../../shared/webhooks/consumer.ts";
import { ApiError, notFound } from "../../errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { sendWebhookMessages } from "./queue-consumers.ts";

export const webhookEventSchema = z
  .object({
    id: z.string(),
    sourceId: z.string(),
    provider: z.enum(WEBHOOK_PROVIDERS),
    type: z.string(),
    deliveryId: z.string().describe("The provider's delivery id (or sha256:<body hash>)"),
    environment: z.enum(ENVIRONMENTS).nullable(),
    status: z.enum(EVENT_STATUSES),
    round: z.number().int().describe("0, then +1 per replay"),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    receivedAt: z.number().int(),
    processedAt: z.number().int().nullable(),
    deadAt: z.number().int().nullable(),
  })
  .openapi("WebhookEvent");

const webhookEventDetailSchema = webhookEventSchema
  .extend({
    headers: z.record(z.string(), z.string()),
    body: z.string(),
    deliveries: z.array(
      z.object({
        id: z.string(),
        endpointId: z.string(),
        round: z.number().int(),
        status: z.string(),
        attempts: z.number().int(),
        nextAttemptAt: z.number().int().nullable(),
        lastStatusCode: z.number().int().nullable(),
        lastError: z.string().nullable(),
      }),
    ),
  })
  .openapi("WebhookEventDetail");

const attemptSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["process", "deliver"]),
    deliveryId: z.string().nullable(),
    endpointId: z.string().nullable(),
    attempt: z.number().int(),
    outcome: z.enum(["succeeded", "failed"]),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    responseSnippet: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi("WebhookAttempt");

const filterFields = {
  provider: z.enum(WEBHOOK_PROVIDERS).optional(),
  type: z.string().max(128).optional(),
  env: z.enum(ENVIRONMENTS).optional(),
  sourceId: z
    .string()
    .regex(/^src_[0-9a-z]{26}$/)
    .optional(),
};
const listQuerySchema = pageQuerySchema.extend({
  ...filterFields,
  status: z.enum(EVENT_STATUSES).optional(),
});

const bulkReplaySchema = z.strictObject({
  ...filterFields,
  status: z.enum(["dead", "failed", "processed"]).default("dead"),
  receivedAfter: z.number().int().min(0).optional(),
  receivedBefore: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});

const replayedSchema = z.object({ id: z.string(), round: z.number().int(), status: z.literal("received") });
const bulkReplayedSchema = z.object({ replayed: z.number().int(), eventIds: z.array(z.string()) });

const params = idParam("eventId", "evt");
const tags = ["Webhook events"];
/** D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;

function filters(
  orgId: string,
  q: z.infer<typeof listQuerySchema> | z.infer<typeof bulkReplaySchema>,
): SQL[] {
  const t = webhookEvents;
  const where: SQL[] = [eq(t.orgId, orgId)];
  if (q.provider) where.push(eq(t.provider, q.provider));
  if (q.type) where.push(eq(t.type, q.type));
  if (q.env) where.push(eq(t.environment, q.env));
  if (q.sourceId) where.push(eq(t.sourceId, q.sourceId));
  if (q.status) where.push(eq(t.status, q.status));
  return where;
}

async function listEvents(c: Context<HonoEnv>, query: z.infer<typeof listQuerySchema>) {
  const orgId = orgIdOf(c);
  const where = filters(orgId, query);
  if (query.cursor) where.push(lt(webhookEvents.id, query.cursor));
  const rows = await c
    .get("services")
    .db.select()
    .from(webhookEvents)
    .where(and(...where))
    .orderBy(desc(webhookEvents.id))
    .limit(query.limit + 1);
  return toPage(rows.map(toEvent), query.limit);
}

export function registerWebhookEventRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/webhook-events",
      tags,
      summary: "List inbound events (filter by provider, type, env, status, source)",
      permission: "webhooks:read",
      request: { query: listQuerySchema },
      responses: {
        200: jsonContent(pageOf(webhookEventSchema), "A page of events, newest first"),
      },
    }),
    async (c) => c.json(await listEvents(c, c.req.valid("query")), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/webhook-dlq",
      tags,
      summary: "Dead-lettered events (retries exhausted); replay them one by one or in bulk",
      permission: "webhooks:read",
      request: { query: listQuerySchema.omit({ status: true }) },
      responses: {
        200: jsonContent(pageOf(webhookEventSchema), "A page of dead events, newest first"),
      },
    }),
    async (c) => c.json(await listEvents(c, { ...c.req.valid("query"), status: "dead" }), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/webhook-events/{eventId}",
      tags,
      summary: "Get an event with its headers, body and outbound deliveries",
      permission: "webhooks:read",
      request: { params },
      responses: { 200: jsonContent(webhookEventDetailSchema, "The event") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const event = await requireEvent(db, orgId, c.req.valid("param").eventId);
      const deliveries = await db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.eventId, event.id)))
        .orderBy(asc(webhookDeliveries.id));
      return c.json(
        {
          ...toEvent(event),
          headers: event.headers,
          body: event.body,
          deliveries: deliveries.map((d) => ({
            id: d.id,
            endpointId: d.endpointId,
            round: d.round,
            status: d.status,
            attempts: d.attempts,
            nextAttemptAt: d.nextAttemptAt,
            lastStatusCode: d.lastStatusCode,
            lastError: d.lastError,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/webhook-events/{eventId}/attempts",
      tags,
      summary: "Every processing and delivery attempt of an event, oldest first",
      permission: "webhooks:read",
      request: { params },
      responses: {
        200: jsonContent(z.object({ items: z.array(attemptSchema) }), "Attempts"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const event = await requireEvent(db, orgId, c.req.valid("param").eventId);
      const rows = await db
        .select()
        .from(webhookAttempts)
        .where(and(eq(webhookAttempts.orgId, orgId), eq(webhookAttempts.eventId, event.id)))
        .orderBy(asc(webhookAttempts.id))
        .limit(1000);
      return c.json({ items: rows.map(({ orgId: _o, eventId: _e, ...rest }) => rest) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/webhook-events/{eventId}/replay",
      tags,
      summary: "Replay an event: handlers run again (idempotently) and subscribed endpoints get it again",
      permission: "webhooks:manage",
      request: { params },
      responses: { 202: jsonContent(replayedSchema, "Queued again") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const event = await requireEvent(db, orgId, c.req.valid("param").eventId);
      const [replayed] = await replay(c, orgId, [event], { single: true });
      return c.json({ id: event.id, round: replayed!.round, status: "received" as const }, 202);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/webhook-events/replay",
      tags,
      summary: "Bulk replay by filter (dead events by default)",
      permission: "webhooks:manage",
      request: { body: jsonBody(bulkReplaySchema) },
      responses: { 202: jsonContent(bulkReplayedSchema, "Queued again") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const body = c.req.valid("json");
      const where = filters(orgId, body);
      if (body.receivedAfter !== undefined) where.push(gte(webhookEvents.receivedAt, body.receivedAfter));
      if (body.receivedBefore !== undefined) where.push(lt(webhookEvents.receivedAt, body.receivedBefore));
      const events = await c
        .get("services")
        .db.select({ id: webhookEvents.id, round: webhookEvents.round, orgId: webhookEvents.orgId })
        .from(webhookEvents)
        .where(and(...where))
        .orderBy(asc(webhookEvents.id))
        .limit(body.limit);
      const replayed = events.length ? await replay(c, orgId, events, { single: false, filter: body }) : [];
      return c.json({ replayed: replayed.length, eventIds: replayed.map((e) => e.id) }, 202);
    },
  );
}

/**
 * Moves events to a new round (status received, attempts 0) in one audited batch, then queues them.
 * A message of an older round still in the queue is dropped by the consumer.
 */
async function replay(
  c: Context<HonoEnv>,
  orgId: string,
  events: { id: string; round: number }[],
  options: { single: boolean; filter?: unknown },
) {
  const { db } = c.get("services");
  const now = Date.now();
  const t = webhookEvents;
  const chunks: string[][] = [];
  for (let i = 0; i < events.length; i += ID_CHUNK)
    chunks.push(events.slice(i, i + ID_CHUNK).map((e) => e.id));
  await auditedBatch(
    db,
    orgId,
    auditContext(c),
    options.single
      ? {
          action: "webhook_event.replay",
          targetType: "webhook_event",
          targetId: events[0]!.id,
          changes: { round: events[0]!.round + 1 },
        }
      : {
          action: "webhook_event.bulk_replay",
          targetType: "webhook_event",
          targetId: null,
          changes: { count: events.length, filter: options.filter as Record<string, unknown> },
        },
    () =>
      chunks.map((ids) =>
        db
          .update(t)
          .set({
            status: "received",
            round: sql`${t.round} + 1`,
            attempts: 0,
            lastError: null,
            processedAt: null,
            deadAt: null,
            enqueuedAt: now,
            updatedAt: now,
          })
          .where(and(eq(t.orgId, orgId), inArray(t.id, ids))),
      ),
  );
  const replayed = events.map((e) => ({ id: e.id, round: e.round + 1 }));
  const messages: WebhookMessage[] = replayed.map((e) => ({
    kind: "event",
    orgId,
    eventId: e.id,
    round: e.round,
  }));
  try {
    await sendWebhookMessages(
      c.env,
      messages.map((body) => ({ body })),
    );
  } catch (error) {
    // The rows say "received": the sweeper re-queues them within minutes.
    console.error(JSON.stringify({ level: "error", msg: "replay enqueue failed", error: String(error) }));
    throw new ApiError("unavailable", "Replay recorded but not queued yet; it will be retried automatically");
  }
  return replayed;
}

export async function requireEvent(db: Db, orgId: string, eventId: string) {
  const row = await findInOrg(db, webhookEvents, orgId, eventId);
  if (!row) throw notFound("Webhook event");
  return row;
}

function toEvent(row: typeof webhookEvents.$inferSelect) {
  return {
    id: row.id,
    sourceId: row.sourceId,
    provider: row.provider,
    type: row.type,
    deliveryId: row.deliveryId,
    environment: row.environment,
    status: row.status,
    round: row.round,
    attempts: row.attempts,
    lastError: row.lastError,
    receivedAt: row.receivedAt,
    processedAt: row.processedAt,
    deadAt: row.deadAt,
  };
}
