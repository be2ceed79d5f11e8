import { decryptSecret } from "../crypto/secret-box.ts";
import { ENVIRONMENTS, type Environment } from "../db/schema/webhooks.ts";
import { ApiError, dependencyFailureIn } from "../errors.ts";
import { parsePayload } from "./domain-events.ts";
import { persistEvent, setEnqueued, type WebhookServices } from "./lifecycle.ts";
import { eventMessage } from "./message.ts";
import { describeInbound, type InboundRequest, selectHeaders, verifyInbound } from "./signatures.ts";
import { findSourceForIngestCached, type IngestSource } from "./sources.ts";

/** Inbound bodies above this are refused with 413, whatever the global body limit is. */
export const MAX_INBOUND_BODY_BYTES = 1024 * 1024;

export const tooLarge = () =>
  new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_INBOUND_BODY_BYTES} bytes`);
/** Same answer for every verification failure: which part failed is only in the server log. */
const badSignature = () => new ApiError("unauthenticated", "Webhook signature verification failed");
const unknownSource = () => new ApiError("not_found", "Webhook source not found");

/** One delivery to a public ingest URL, as the HTTP layer hands it over. */
export type InboundDelivery = {
  sourceId: string;
  headers: Headers;
  /** Reads the raw body; called only once the source is known. */
  readBody: () => Promise<ArrayBuffer>;
  /** The environment the sender names (`?env=` or X-Env), if any. */
  requestedEnv: string | undefined;
  receivedAt: number;
};

export type IngestDeps = WebhookServices & {
  encryptionKey: string;
  /**
   * Called once the signature is verified, before anything is stored: the rate limit is charged here,
   * so a stranger who learns the URL cannot drain the tenant's quota.
   */
  admit: (source: IngestSource) => Promise<void>;
};

export type IngestResult =
  | { kind: "accepted"; id: string }
  | { kind: "duplicate" }
  /** Slack checks a new Events API URL with a signed challenge it expects echoed back. */
  | { kind: "challenge"; challenge: string };

/**
 * Receives one provider webhook: verify the signature, store the event (idempotent on the provider's
 * delivery id) and queue it. The work happens on the WEBHOOKS queue (processing.ts).
 */
export async function receiveWebhook(deps: IngestDeps, delivery: InboundDelivery): Promise<IngestResult> {
  const source = await findSourceForIngestCached(deps.db, delivery.sourceId, delivery.receivedAt);
  if (!source) throw unknownSource();
  const body = new Uint8Array(await delivery.readBody());
  if (body.byteLength > MAX_INBOUND_BODY_BYTES) throw tooLarge();
  const bodyText = new TextDecoder().decode(body);
  const json = parsePayload(bodyText);
  const request: InboundRequest = {
    headers: delivery.headers,
    body,
    json: typeof json === "string" ? undefined : json,
    nowMs: delivery.receivedAt,
  };
  await verify(deps, source, request);
  await deps.admit(source);
  const environment = resolveEnvironment(delivery.requestedEnv, source.environment);
  if (source.provider === "slack" && (json as { type?: unknown })?.type === "url_verification") {
    return { kind: "challenge", challenge: String((json as { challenge?: unknown }).challenge ?? "") };
  }
  const { type, deliveryId } = await describeInbound(source.provider, request);
  const { duplicate, event } = await persistEvent(deps.db, {
    orgId: source.orgId,
    sourceId: source.id,
    provider: source.provider,
    type,
    deliveryId,
    environment,
    headers: selectHeaders(source.provider, delivery.headers),
    body: bodyText,
    receivedAt: delivery.receivedAt,
  });
  if (duplicate && (event.status !== "received" || event.enqueuedAt !== null)) return { kind: "duplicate" };
  // New, or a duplicate whose first enqueue failed (we answered 503, the provider retried): enqueue.
  await enqueueOrRelease(deps, event);
  if (duplicate) {
    await setEnqueued(deps.db, event.orgId, event.id, deps.clock());
    return { kind: "duplicate" };
  }
  return { kind: "accepted", id: event.id };
}

async function verify(deps: IngestDeps, source: IngestSource, request: InboundRequest) {
  const secret = await decryptSecret(deps.encryptionKey, source.secretSealed, source.id);
  const verdict = await verifyInbound(source.provider, secret, request);
  if (!verdict.ok) {
    deps.logger.info("webhook rejected", { sourceId: source.id, reason: verdict.reason });
    throw badSignature();
  }
}

/** The sender's environment when it names a valid one, else the source's default. */
function resolveEnvironment(requested: string | undefined, fallback: Environment | null): Environment | null {
  if (requested === undefined) return fallback;
  if ((ENVIRONMENTS as readonly string[]).includes(requested)) return requested as Environment;
  throw new ApiError("validation_failed", "The environment is invalid", {
    errors: [{ path: "env", message: `must be one of ${ENVIRONMENTS.join(", ")}` }],
  });
}

/** Queues the event; when that fails, marks it not queued and answers 503 so the provider retries. */
async function enqueueOrRelease(deps: IngestDeps, event: { orgId: string; id: string; round: number }) {
  try {
    await deps.queues.webhooks.send(eventMessage(event));
  } catch (error) {
    const component = dependencyFailureIn(error)?.component ?? "queue";
    deps.logger.error("webhook enqueue failed", { component, eventId: event.id, error: String(error) });
    // Not queued: the provider's retry (a duplicate) or the sweeper queues it again.
    await setEnqueued(deps.db, event.orgId, event.id, null).catch(() => {});
    throw new ApiError("unavailable", "The event was stored but could not be queued; retry the delivery", {
      headers: { "Retry-After": "5" },
    });
  }
}
