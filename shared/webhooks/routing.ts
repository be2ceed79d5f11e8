import { toBase64 } from "../crypto/hash.ts";
import { randomBase62 } from "../crypto/tokens.ts";

/** `<provider>.<type>` as endpoints subscribe to it, e.g. `github.push`, `sentry.issue.created`. */
export const eventTypeOf = (provider: string, type: string) => `${provider}.${type}`;

/**
 * An endpoint's pattern list: `*` (everything), `github.*` (a prefix ending in `.*`), or an exact type.
 */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z0-9_]+(\.[a-z0-9_:*-]+)*)$/i;

export function matchesEventType(patterns: readonly string[], eventType: string): boolean {
  return patterns.some(
    (p) => p === "*" || p === eventType || (p.endsWith(".*") && eventType.startsWith(p.slice(0, -1))),
  );
}

export function endpointWants(
  endpoint: { eventTypes: readonly string[]; environment: string | null },
  event: { provider: string; type: string; environment: string | null },
): boolean {
  if (endpoint.environment !== null && endpoint.environment !== event.environment) return false;
  return matchesEventType(endpoint.eventTypes, eventTypeOf(event.provider, event.type));
}

/**
 * Outbound retry schedule after a failed attempt (docs/webhooks.md): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h,
 * so 8 attempts in all. Each wait gets ±10 % jitter so endpoints that failed together do not get
 * retried in lockstep.
 */
export const DELIVERY_RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 86_400] as const;

/** Cloudflare Queues cannot delay a message more than 12 h; longer waits are re-enqueued on arrival. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

/** Seconds to wait after failed attempt number `attempt` (1-based), or null when it was the last. */
export function deliveryRetryDelay(attempt: number, random: () => number, scale = 1): number | null {
  const base = DELIVERY_RETRY_SCHEDULE_SECONDS[attempt - 1];
  if (base === undefined) return null;
  return Math.max(0, Math.round(base * scale * (0.9 + 0.2 * random())));
}

/**
 * Inbound processing backoff for queue attempt `attempts` (1-based): exponential from 5 s, capped at
 * the queue's 12 h limit, with "equal jitter" (half fixed, half random) so it never collapses to zero.
 */
export function processingRetryDelay(attempts: number, random: () => number, scale = 1): number {
  const exp = Math.min(MAX_QUEUE_DELAY_SECONDS, 5 * 2 ** Math.max(0, attempts - 1));
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.round(exp * scale * (0.5 + 0.5 * random())));
}

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function newStandardSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** A shared secret for token/HMAC providers (GitHub, GitLab, …): 40 base62 chars ≈ 238 bits. */
export function newSharedSecret(): string {
  return randomBase62(40);
}

/** The JSON body sent to tenant endpoints (Standard Webhooks' recommended `{type, timestamp, data}`). */
export function outboundEnvelope(event: {
  id: string;
  provider: string;
  type: string;
  sourceId: string;
  environment: string | null;
  deliveryId: string;
  receivedAt: number;
  payload: unknown;
}): string {
  return JSON.stringify({
    type: eventTypeOf(event.provider, event.type),
    timestamp: new Date(event.receivedAt).toISOString(),
    data: {
      eventId: event.id,
      provider: event.provider,
      type: event.type,
      sourceId: event.sourceId,
      environment: event.environment,
      providerDeliveryId: event.deliveryId,
      payload: event.payload,
    },
  });
}
