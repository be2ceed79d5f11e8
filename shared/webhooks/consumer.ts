import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { auditedBatch } from "../audit/repository.ts";
import { decryptSecret } from "../crypto/secret-box.ts";
import { type Db, isUniqueViolation } from "../db/client.ts";
import {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookEventApplications,
  webhookEvents,
  webhookSources,
} from "../db/schema/webhooks.ts";
import { newId } from "../ids.ts";
import { upsertRecord } from "./record-store.ts";
import { domainRecordsHandler, type InboundHandler, parsePayload } from "./records.ts";
import {
  deliveryRetryDelay,
  endpointWants,
  MAX_QUEUE_DELAY_SECONDS,
  outboundEnvelope,
  processingRetryDelay,
} from "./routing.ts";
import { signStandardWebhook } from "./signatures.ts";
import { checkOutboundUrl } from "./ssrf.ts";

/**
 * The WEBHOOKS queue carries two kinds of message:
 * - `event`: process one inbound event (internal handlers + fan-out to subscribed endpoints);
 * - `deliver`: make one HTTP attempt of one outbound delivery.
 * Both are safe to receive twice: events are applied at most once per (event, round) through the
 * webhook_event_applications primary key, deliveries are claimed with a lease before they are sent.
 */
export const webhookMessageSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("event"),
    orgId: z.string(),
    eventId: z.string(),
    round: z.number().int().min(0),
  }),
  z.object({ kind: z.literal("deliver"), orgId: z.string(), deliveryId: z.string() }),
]);
export type WebhookMessage = z.infer<typeof webhookMessageSchema>;

/** The part of a queue Message the consumer uses (workerd's Message, or a test double). */
export type QueueMessageLike = {
  body: unknown;
  attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
};

export type ConsumerDeps = {
  db: Db;
  encryptionKey: string;
  enqueue: (messages: { body: WebhookMessage; delaySeconds?: number }[]) => Promise<void>;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  /** Local development only: deliveries to 127.0.0.0/8, ::1 and localhost. */
  allowLoopback: boolean;
  /** Multiplies every retry wait; 1 in production, 0 in the benchmark (WEBHOOKS_BACKOFF_SCALE). */
  backoffScale: number;
  handlers: InboundHandler[];
};

export const DEFAULT_HANDLERS: InboundHandler[] = [domainRecordsHandler];

/** Success is a 2xx within this time (issue #5). */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** A claimed delivery whose consumer died is claimable again after this. */
const DELIVERY_LEASE_MS = DELIVERY_TIMEOUT_MS + 45_000;
/** Circuit breaker: this many consecutive failed attempts, spread over at least the window, disable. */
export const CIRCUIT_BREAKER_FAILURES = 10;
export const CIRCUIT_BREAKER_WINDOW_MS = 60 * 60 * 1000;
const SNIPPET_BYTES = 1024;
const SYSTEM_ACTOR = { actor: { type: "system" as const, id: "webhooks-consumer" } };

/** Consumes a batch of the WEBHOOKS queue; every message is acked or retried on its own. */
export async function consumeWebhookMessages(
  messages: readonly QueueMessageLike[],
  deps: ConsumerDeps,
): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      const parsed = webhookMessageSchema.safeParse(message.body);
      if (!parsed.success) {
        // A poison message would only bounce to the DLQ; drop it loudly instead.
        log("error", "malformed webhook message dropped", {
          body: JSON.stringify(message.body).slice(0, 200),
        });
        message.ack();
        return;
      }
      try {
        if (parsed.data.kind === "event") await processEvent(parsed.data, message, deps);
        else await deliverOnce(parsed.data, message, deps);
      } catch (error) {
        // Unexpected (e.g. D1 unavailable): the queue retries, and after max_retries dead-letters it.
        log("error", "webhook message failed", { kind: parsed.data.kind, error: String(error) });
        message.retry({
          delaySeconds: processingRetryDelay(message.attempts, deps.random, deps.backoffScale),
        });
      }
    }),
  );
}

/** The webhooks-dlq consumer: an event whose retries ran out is marked dead (replayable by API). */
export async function consumeDeadLetters(
  messages: readonly QueueMessageLike[],
  deps: Pick<ConsumerDeps, "db" | "now">,
) {
  const { db } = deps;
  for (const message of messages) {
    const parsed = webhookMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      message.ack();
      continue;
    }
    const msg = parsed.data;
    const now = deps.now();
    if (msg.kind === "event") {
      await db
        .update(webhookEvents)
        .set({ status: "dead", deadAt: now, updatedAt: now })
        .where(
          and(
            eq(webhookEvents.orgId, msg.orgId),
            eq(webhookEvents.id, msg.eventId),
            eq(webhookEvents.round, msg.round),
            inArray(webhookEvents.status, ["received", "failed"]),
          ),
        );
    } else {
      await db
        .update(webhookDeliveries)
        .set({ status: "failed", lastError: "dead-lettered", completedAt: now, updatedAt: now })
        .where(
          and(
            eq(webhookDeliveries.orgId, msg.orgId),
            eq(webhookDeliveries.id, msg.deliveryId),
            inArray(webhookDeliveries.status, ["pending", "sending", "retrying"]),
          ),
        );
    }
    message.ack();
  }
}

async function processEvent(
  msg: Extract<WebhookMessage, { kind: "event" }>,
  message: QueueMessageLike,
  deps: ConsumerDeps,
) {
  const { db } = deps;
  const [event] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.orgId, msg.orgId), eq(webhookEvents.id, msg.eventId)))
    .limit(1);
  // Gone, superseded by a replay (a newer round has its own message), or already dead-lettered.
  if (!event || event.round !== msg.round || event.status === "dead") {
    message.ack();
    return;
  }
  if (event.status === "processed") {
    // A redelivery: nothing is applied again, but deliveries whose enqueue may have failed are re-sent
    // to the queue (their claim makes a duplicate message harmless).
    await enqueuePendingDeliveries(deps, event.orgId, event.id, event.round);
    message.ack();
    return;
  }
  const attempt = event.attempts + 1;
  const now = deps.now();
  try {
    const payload = parsePayload(event.body);
    const intents = deps.handlers.flatMap((handler) => handler(event, payload));
    const [source] = await db
      .select({ projectId: webhookSources.projectId })
      .from(webhookSources)
      .where(and(eq(webhookSources.orgId, event.orgId), eq(webhookSources.id, event.sourceId)))
      .limit(1);
    const endpoints = await db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.orgId, event.orgId), eq(webhookEndpoints.status, "active")));
    const statements: BatchItem<"sqlite">[] = [
      // First: the applied marker. A second application of this round fails here and rolls back whole.
      db
        .insert(webhookEventApplications)
        .values({ eventId: event.id, round: event.round, orgId: event.orgId, appliedAt: now }),
      ...intents.map((intent) =>
        upsertRecord(
          db,
          {
            orgId: event.orgId,
            provider: event.provider,
            eventId: event.id,
            projectId: source?.projectId ?? null,
            environment: event.environment,
            now,
          },
          intent,
        ),
      ),
      ...endpoints
        .filter((endpoint) => endpointWants(endpoint, event))
        .map((endpoint) =>
          db
            .insert(webhookDeliveries)
            .values({
              id: newId("dlv", now),
              orgId: event.orgId,
              endpointId: endpoint.id,
              eventId: event.id,
              round: event.round,
              status: "pending",
              attempts: 0,
              createdAt: now,
              updatedAt: now,
            })
            .onConflictDoNothing(),
        ),
      db.insert(webhookAttempts).values({
        id: newId("att", now),
        orgId: event.orgId,
        eventId: event.id,
        kind: "process",
        attempt,
        outcome: "succeeded",
        createdAt: now,
      }),
      db
        .update(webhookEvents)
        .set({ status: "processed", attempts: attempt, processedAt: now, lastError: null, updatedAt: now })
        .where(
          and(
            eq(webhookEvents.orgId, event.orgId),
            eq(webhookEvents.id, event.id),
            eq(webhookEvents.round, event.round),
          ),
        ),
    ];
    try {
      await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    } catch (error) {
      if (!isUniqueViolation(error, "webhook_event_applications")) throw error;
      // Another consumer applied this round first.
    }
    await enqueuePendingDeliveries(deps, event.orgId, event.id, event.round);
    message.ack();
  } catch (error) {
    const detail = String(error instanceof Error ? error.message : error).slice(0, 1000);
    await db
      .batch([
        db.insert(webhookAttempts).values({
          id: newId("att", now),
          orgId: event.orgId,
          eventId: event.id,
          kind: "process",
          attempt,
          outcome: "failed",
          error: detail,
          createdAt: now,
        }),
        db
          .update(webhookEvents)
          .set({ status: "failed", attempts: attempt, lastError: detail, updatedAt: now })
          .where(
            and(
              eq(webhookEvents.orgId, event.orgId),
              eq(webhookEvents.id, event.id),
              eq(webhookEvents.round, event.round),
              inArray(webhookEvents.status, ["received", "failed"]),
            ),
          ),
      ])
      .catch((e: unknown) =>
        log("error", "could not record processing failure", { eventId: event.id, error: String(e) }),
      );
    message.retry({ delaySeconds: processingRetryDelay(message.attempts, deps.random, deps.backoffScale) });
  }
}

async function enqueuePendingDeliveries(deps: ConsumerDeps, orgId: string, eventId: string, round: number) {
  const pending = await deps.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.orgId, orgId),
        eq(webhookDeliveries.eventId, eventId),
        eq(webhookDeliveries.round, round),
        eq(webhookDeliveries.status, "pending"),
      ),
    );
  if (pending.length === 0) return;
  await deps.enqueue(pending.map((d) => ({ body: { kind: "deliver" as const, orgId, deliveryId: d.id } })));
}

type Delivery = typeof webhookDeliveries.$inferSelect;

/** Claims the delivery (pending/retrying and due, or sending with an expired lease) or returns null. */
async function claimDelivery(
  db: Db,
  orgId: string,
  deliveryId: string,
  now: number,
): Promise<Delivery | null> {
  const t = webhookDeliveries;
  const rows = await db
    .update(t)
    .set({ status: "sending", leaseUntil: now + DELIVERY_LEASE_MS, updatedAt: now })
    .where(
      and(
        eq(t.orgId, orgId),
        eq(t.id, deliveryId),
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
  return rows[0] ?? null;
}

async function deliverOnce(
  msg: Extract<WebhookMessage, { kind: "deliver" }>,
  message: QueueMessageLike,
  deps: ConsumerDeps,
) {
  const { db } = deps;
  const now = deps.now();
  const delivery = await claimDelivery(db, msg.orgId, msg.deliveryId, now);
  if (!delivery) {
    // Not due yet (a wait longer than the queue's 12 h cap arrives early): wait again. Otherwise it is
    // done, cancelled, or being sent by another consumer: nothing to do.
    const [current] = await db
      .select({ status: webhookDeliveries.status, nextAttemptAt: webhookDeliveries.nextAttemptAt })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.orgId, msg.orgId), eq(webhookDeliveries.id, msg.deliveryId)))
      .limit(1);
    if (current?.status === "retrying" && current.nextAttemptAt !== null && current.nextAttemptAt > now) {
      const wait = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((current.nextAttemptAt - now) / 1000));
      await deps.enqueue([{ body: msg, delaySeconds: wait }]);
    }
    message.ack();
    return;
  }
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, delivery.orgId), eq(webhookEndpoints.id, delivery.endpointId)))
    .limit(1);
  const [event] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.orgId, delivery.orgId), eq(webhookEvents.id, delivery.eventId)))
    .limit(1);
  if (!endpoint || !event || endpoint.status !== "active") {
    await finishDelivery(db, delivery, now, {
      status: "cancelled",
      lastError: endpoint ? "endpoint disabled" : "endpoint deleted",
    });
    message.ack();
    return;
  }

  const attempt = delivery.attempts + 1;
  const body = outboundEnvelope({ ...event, payload: parsePayload(event.body) });
  const guard = checkOutboundUrl(endpoint.url, { allowLoopback: deps.allowLoopback });
  let statusCode: number | null = null;
  let snippet: string | null = null;
  let error: string | null = null;
  const started = Date.now();
  if (!guard.ok) {
    error = `refused by SSRF guard: ${guard.reason}`;
  } else {
    try {
      const headers = await signedHeaders(deps, endpoint, delivery.id, Math.floor(now / 1000), body);
      const response = await deps.fetch(guard.url.toString(), {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      statusCode = response.status;
      snippet = await readSnippet(response);
    } catch (e) {
      error =
        (e as Error)?.name === "TimeoutError"
          ? `no response within ${DELIVERY_TIMEOUT_MS} ms`
          : `network error: ${String((e as Error)?.message ?? e).slice(0, 300)}`;
    }
  }
  const latencyMs = Date.now() - started;
  const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const gone = statusCode === 410;
  const retryIn =
    succeeded || gone || !guard.ok ? null : deliveryRetryDelay(attempt, deps.random, deps.backoffScale);
  const outcomeError = error ?? (succeeded ? null : `HTTP ${statusCode}`);

  const t = webhookDeliveries;
  const e = webhookEndpoints;
  const results = await db.batch([
    db.insert(webhookAttempts).values({
      id: newId("att", now),
      orgId: delivery.orgId,
      eventId: delivery.eventId,
      kind: "deliver",
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attempt,
      outcome: succeeded ? "succeeded" : "failed",
      statusCode,
      latencyMs,
      responseSnippet: snippet,
      error: outcomeError,
      createdAt: now,
    }),
    db
      .update(t)
      .set({
        status: succeeded ? "succeeded" : retryIn === null ? "failed" : "retrying",
        attempts: attempt,
        lastStatusCode: statusCode,
        lastError: outcomeError,
        nextAttemptAt: retryIn === null ? null : now + retryIn * 1000,
        leaseUntil: null,
        completedAt: retryIn === null ? now : null,
        updatedAt: now,
      })
      .where(and(eq(t.orgId, delivery.orgId), eq(t.id, delivery.id))),
    succeeded
      ? db
          .update(e)
          .set({ consecutiveFailures: 0, firstFailureAt: null, updatedAt: now })
          .where(and(eq(e.orgId, endpoint.orgId), eq(e.id, endpoint.id)))
          .returning({
            status: e.status,
            consecutiveFailures: e.consecutiveFailures,
            firstFailureAt: e.firstFailureAt,
          })
      : db
          .update(e)
          .set({
            consecutiveFailures: sql`${e.consecutiveFailures} + 1`,
            firstFailureAt: sql`COALESCE(${e.firstFailureAt}, ${now})`,
            updatedAt: now,
          })
          .where(and(eq(e.orgId, endpoint.orgId), eq(e.id, endpoint.id)))
          .returning({
            status: e.status,
            consecutiveFailures: e.consecutiveFailures,
            firstFailureAt: e.firstFailureAt,
          }),
  ]);
  const counters = (
    results[2] as { status: string; consecutiveFailures: number; firstFailureAt: number | null }[]
  )[0];

  if (gone) {
    await disableEndpoint(db, endpoint.orgId, endpoint.id, now, "The endpoint answered 410 Gone");
  } else if (
    counters &&
    !succeeded &&
    counters.status === "active" &&
    counters.consecutiveFailures >= CIRCUIT_BREAKER_FAILURES &&
    counters.firstFailureAt !== null &&
    now - counters.firstFailureAt >= CIRCUIT_BREAKER_WINDOW_MS
  ) {
    await disableEndpoint(
      db,
      endpoint.orgId,
      endpoint.id,
      now,
      `Circuit breaker: ${counters.consecutiveFailures} consecutive failed attempts since ${new Date(counters.firstFailureAt).toISOString()}; last: ${outcomeError}`,
    );
  }
  if (retryIn !== null) {
    await deps.enqueue([{ body: msg, delaySeconds: Math.min(retryIn, MAX_QUEUE_DELAY_SECONDS) }]);
  }
  message.ack();
}

async function finishDelivery(
  db: Db,
  delivery: Delivery,
  now: number,
  outcome: { status: "cancelled" | "failed"; lastError: string },
) {
  await db
    .update(webhookDeliveries)
    .set({ ...outcome, leaseUntil: null, completedAt: now, updatedAt: now })
    .where(and(eq(webhookDeliveries.orgId, delivery.orgId), eq(webhookDeliveries.id, delivery.id)));
}

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

/** Standard Webhooks headers; during a rotation's grace period the signature list holds both keys. */
async function signedHeaders(
  deps: ConsumerDeps,
  endpoint: typeof webhookEndpoints.$inferSelect,
  messageId: string,
  timestamp: number,
  body: string,
): Promise<Record<string, string>> {
  const secret = await decryptSecret(deps.encryptionKey, endpoint.secretSealed, endpoint.id);
  const signatures = [await signStandardWebhook(secret, messageId, timestamp, body)];
  if (endpoint.previousSecretSealed && (endpoint.previousSecretExpiresAt ?? 0) > deps.now()) {
    const previous = await decryptSecret(
      deps.encryptionKey,
      endpoint.previousSecretSealed,
      `${endpoint.id}:previous`,
    );
    signatures.push(await signStandardWebhook(previous, messageId, timestamp, body));
  }
  return {
    "content-type": "application/json",
    "user-agent": "Shifty-Webhooks/1.0",
    "webhook-id": messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}

/** At most SNIPPET_BYTES of the response body, without reading a huge body to the end. */
async function readSnippet(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body that breaks off mid-way still gives what was read.
  } finally {
    reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.length;
  }
  return new TextDecoder().decode(all.slice(0, SNIPPET_BYTES));
}

function log(level: "info" | "error", msg: string, fields: Record<string, unknown>) {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}
