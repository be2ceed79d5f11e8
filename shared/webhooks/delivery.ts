import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from "../db/schema/webhooks.ts";
import { newId } from "../ids.ts";
import { checkOutboundUrl } from "../net/outbound-url.ts";
import {
  breakerReason,
  breakerTrips,
  disableEndpoint,
  type FailureCounters,
  GONE_REASON,
} from "./breaker.ts";
import { claimDue, remainingWait } from "./delivery-claim.ts";
import { parsePayload } from "./domain-events.ts";
import type { DeliverMessage, OutgoingMessage, QueueMessageLike } from "./message.ts";
import { signedHeaders } from "./outbound-signing.ts";
import { deliveryRetryDelay, MAX_QUEUE_DELAY_SECONDS, outboundEnvelope } from "./routing.ts";

/** What one delivery attempt needs besides the message. */
export type DeliveryDeps = {
  db: Db;
  encryptionKey: string;
  enqueue: (messages: OutgoingMessage[]) => Promise<void>;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  /** Local development only: deliveries to 127.0.0.0/8, ::1 and localhost. */
  allowLoopback: boolean;
  /** Multiplies every retry wait; 1 in production, 0 in the benchmark (WEBHOOKS_BACKOFF_SCALE). */
  backoffScale: number;
};

/** An attempt succeeds with a 2xx answered within this time. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** A claimed delivery whose consumer died is claimable again after this. */
const DELIVERY_LEASE_MS = DELIVERY_TIMEOUT_MS + 45_000;
/** At most this much of a response body is kept with the attempt. */
const SNIPPET_BYTES = 1024;

type Delivery = typeof webhookDeliveries.$inferSelect;
type Endpoint = typeof webhookEndpoints.$inferSelect;

/** What one HTTP attempt gave: a status (and the start of the body), or why there was none. */
type AttemptResult = {
  statusCode: number | null;
  snippet: string | null;
  error: string | null;
  latencyMs: number;
  /** The SSRF guard refused the URL: no request was made, and none will be retried. */
  refused: boolean;
};

/**
 * Makes one attempt of one outbound delivery: claim it, POST the signed envelope, log the attempt,
 * update the endpoint's failure counters (410 or a tripped breaker disables it) and queue the next
 * attempt on the retry schedule.
 */
export async function deliverOnce(msg: DeliverMessage, message: QueueMessageLike, deps: DeliveryDeps) {
  const { db } = deps;
  const now = deps.now();
  const delivery = await claimDue(db, webhookDeliveries, msg, now, DELIVERY_LEASE_MS);
  if (!delivery) {
    await waitAgainIfEarly(deps, msg, now);
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
    await cancelDelivery(db, delivery, now, endpoint ? "endpoint disabled" : "endpoint deleted");
    message.ack();
    return;
  }
  const attempt = delivery.attempts + 1;
  const body = outboundEnvelope({ ...event, payload: parsePayload(event.body) });
  const result = await postToEndpoint(deps, endpoint, delivery.id, body, now);
  const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const gone = result.statusCode === 410;
  const retryIn =
    succeeded || gone || result.refused ? null : deliveryRetryDelay(attempt, deps.random, deps.backoffScale);
  const lastError = result.error ?? (succeeded ? null : `HTTP ${result.statusCode}`);
  const counters = await recordAttempt(
    db,
    delivery,
    attempt,
    { ...result, lastError, succeeded, retryIn },
    now,
  );
  if (gone) {
    await disableEndpoint(db, endpoint.orgId, endpoint.id, now, GONE_REASON);
  } else if (counters && !succeeded && breakerTrips(counters, now)) {
    await disableEndpoint(db, endpoint.orgId, endpoint.id, now, breakerReason(counters, lastError));
  }
  if (retryIn !== null) {
    await deps.enqueue([{ body: msg, delaySeconds: Math.min(retryIn, MAX_QUEUE_DELAY_SECONDS) }]);
  }
  message.ack();
}

/**
 * An unclaimable delivery that is not due yet is queued again for the rest of its wait. Otherwise it
 * is done, cancelled, or being sent by another consumer: nothing to do.
 */
async function waitAgainIfEarly(deps: DeliveryDeps, msg: DeliverMessage, now: number) {
  const wait = await remainingWait(deps.db, webhookDeliveries, msg, now);
  if (wait !== null) await deps.enqueue([{ body: msg, delaySeconds: wait }]);
}

/** The SSRF guard, then one signed POST that follows no redirect and gives up after the timeout. */
async function postToEndpoint(
  deps: DeliveryDeps,
  endpoint: Endpoint,
  deliveryId: string,
  body: string,
  now: number,
): Promise<AttemptResult> {
  const started = Date.now();
  const guard = checkOutboundUrl(endpoint.url, { allowLoopback: deps.allowLoopback });
  if (!guard.ok) {
    const error = `refused by SSRF guard: ${guard.reason}`;
    return { statusCode: null, snippet: null, error, latencyMs: Date.now() - started, refused: true };
  }
  try {
    const timestamp = Math.floor(now / 1000);
    const headers = await signedHeaders(deps.encryptionKey, endpoint, deliveryId, timestamp, body, now);
    const response = await deps.fetch(guard.url.toString(), {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    const snippet = await readSnippet(response);
    return {
      statusCode: response.status,
      snippet,
      error: null,
      latencyMs: Date.now() - started,
      refused: false,
    };
  } catch (e) {
    const error =
      (e as Error)?.name === "TimeoutError"
        ? `no response within ${DELIVERY_TIMEOUT_MS} ms`
        : `network error: ${String((e as Error)?.message ?? e).slice(0, 300)}`;
    return { statusCode: null, snippet: null, error, latencyMs: Date.now() - started, refused: false };
  }
}

type Outcome = AttemptResult & { lastError: string | null; succeeded: boolean; retryIn: number | null };

/**
 * One batch: the attempt log row, the delivery's new state, and the endpoint's failure counters (reset
 * on success, counted up on failure). Returns the counters as they are after the update.
 */
async function recordAttempt(
  db: Db,
  delivery: Delivery,
  attempt: number,
  outcome: Outcome,
  now: number,
): Promise<FailureCounters | undefined> {
  const t = webhookDeliveries;
  const e = webhookEndpoints;
  const { succeeded, retryIn, lastError } = outcome;
  const endpointRow = and(eq(e.orgId, delivery.orgId), eq(e.id, delivery.endpointId));
  const counters = {
    status: e.status,
    consecutiveFailures: e.consecutiveFailures,
    firstFailureAt: e.firstFailureAt,
  };
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
      statusCode: outcome.statusCode,
      latencyMs: outcome.latencyMs,
      responseSnippet: outcome.snippet,
      error: lastError,
      createdAt: now,
    }),
    db
      .update(t)
      .set({
        status: succeeded ? "succeeded" : retryIn === null ? "failed" : "retrying",
        attempts: attempt,
        lastStatusCode: outcome.statusCode,
        lastError,
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
          .where(endpointRow)
          .returning(counters)
      : db
          .update(e)
          .set({
            consecutiveFailures: sql`${e.consecutiveFailures} + 1`,
            firstFailureAt: sql`COALESCE(${e.firstFailureAt}, ${now})`,
            updatedAt: now,
          })
          .where(endpointRow)
          .returning(counters),
  ]);
  return (results[2] as FailureCounters[])[0];
}

async function cancelDelivery(db: Db, delivery: Delivery, now: number, reason: string) {
  await db
    .update(webhookDeliveries)
    .set({ status: "cancelled", lastError: reason, leaseUntil: null, completedAt: now, updatedAt: now })
    .where(and(eq(webhookDeliveries.orgId, delivery.orgId), eq(webhookDeliveries.id, delivery.id)));
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
