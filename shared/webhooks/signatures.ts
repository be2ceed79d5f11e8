import { fromBase64, hmacSha256, sha256Hex, timingSafeEqual, toBase64, toHex } from "../crypto/hash.ts";
import type { WebhookProvider } from "../db/schema/webhooks.ts";

/**
 * Inbound signature schemes, one per provider (docs/webhooks.md). Every comparison is constant time
 * (timingSafeEqual); timestamped schemes (Slack v0, Standard Webhooks) refuse a timestamp more than
 * five minutes away from now, in either direction, so a captured request cannot be replayed later.
 * Each verifier returns a reason for the server log only: the HTTP answer never says which part failed.
 */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export type Verdict = { ok: true } | { ok: false; reason: string };

const encoder = new TextEncoder();
const OK: Verdict = { ok: true };
const fail = (reason: string): Verdict => ({ ok: false, reason });

function concat(...parts: (string | Uint8Array<ArrayBuffer>)[]): Uint8Array<ArrayBuffer> {
  const chunks = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function timestampFresh(value: string | null, nowMs: number): boolean {
  if (!value || !/^\d{1,12}$/.test(value)) return false;
  return Math.abs(nowMs / 1000 - Number(value)) <= TIMESTAMP_TOLERANCE_SECONDS;
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`. */
export async function verifyGitHubSignature(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
  header: string | null,
): Promise<Verdict> {
  if (!header?.startsWith("sha256=")) return fail("missing X-Hub-Signature-256");
  const expected = `sha256=${toHex(await hmacSha256(secret, body))}`;
  return timingSafeEqual(expected, header.trim().toLowerCase()) ? OK : fail("signature mismatch");
}

/** Jira Cloud admin webhooks with a secret: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, body)>`. */
export async function verifyJiraSignature(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
  header: string | null,
): Promise<Verdict> {
  if (!header) return fail("missing X-Hub-Signature");
  const [method, sig] = header.trim().split("=", 2);
  if (method !== "sha256" || !sig) return fail("unsupported signature method");
  const expected = toHex(await hmacSha256(secret, body));
  return timingSafeEqual(expected, sig.toLowerCase()) ? OK : fail("signature mismatch");
}

/** Sentry integration platform: `Sentry-Hook-Signature: <hex HMAC-SHA256(client secret, body)>`. */
export async function verifySentrySignature(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
  header: string | null,
): Promise<Verdict> {
  if (!header) return fail("missing Sentry-Hook-Signature");
  const expected = toHex(await hmacSha256(secret, body));
  return timingSafeEqual(expected, header.trim().toLowerCase()) ? OK : fail("signature mismatch");
}

/**
 * Slack request signing v0: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" ts ":" body)>`
 * with `X-Slack-Request-Timestamp` (seconds) no more than five minutes old.
 */
export async function verifySlackSignature(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
  timestamp: string | null,
  header: string | null,
  nowMs: number,
): Promise<Verdict> {
  if (!header || !timestamp) return fail("missing Slack signature headers");
  if (!timestampFresh(timestamp, nowMs)) return fail("stale or malformed timestamp");
  const expected = `v0=${toHex(await hmacSha256(secret, concat(`v0:${timestamp}:`, body)))}`;
  return timingSafeEqual(expected, header.trim()) ? OK : fail("signature mismatch");
}

/** A shared token sent verbatim in a header or field (GitLab X-Gitlab-Token, Datadog custom header, Figma passcode). */
export function verifySharedToken(secret: string, presented: string | null | undefined): Verdict {
  if (typeof presented !== "string" || presented.length === 0) return fail("missing token");
  return timingSafeEqual(secret, presented) ? OK : fail("token mismatch");
}

/** The raw HMAC key of a Standard Webhooks secret (`whsec_<base64>`). */
export function standardWebhooksKey(secret: string): Uint8Array<ArrayBuffer> {
  return fromBase64(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret);
}

/** Standard Webhooks: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`. */
export async function signStandardWebhook(
  secret: string,
  id: string,
  timestampSeconds: number | string,
  body: string | Uint8Array<ArrayBuffer>,
): Promise<string> {
  const mac = await hmacSha256(
    standardWebhooksKey(secret),
    concat(`${id}.${timestampSeconds}.`, typeof body === "string" ? encoder.encode(body) : body),
  );
  return `v1,${toBase64(mac)}`;
}

/**
 * Verifies `webhook-id`, `webhook-timestamp`, `webhook-signature` (a space-separated list; any one
 * matching `v1,` signature passes, which is how senders rotate secrets).
 */
export async function verifyStandardWebhook(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
  headers: { id: string | null; timestamp: string | null; signature: string | null },
  nowMs: number,
): Promise<Verdict> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return fail("missing Standard Webhooks headers");
  if (!timestampFresh(timestamp, nowMs)) return fail("stale or malformed timestamp");
  let expected: string;
  try {
    expected = await signStandardWebhook(secret, id, timestamp, body);
  } catch {
    return fail("secret is not base64");
  }
  let matched = false;
  for (const candidate of signature.split(" ")) {
    // No early exit: every candidate is compared.
    if (candidate.startsWith("v1,") && timingSafeEqual(expected, candidate)) matched = true;
  }
  return matched ? OK : fail("signature mismatch");
}

/** What ingest needs from a request, independent of Hono. */
export type InboundRequest = {
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
  /** The body as JSON when it parses, else undefined (Slack slash commands are form-encoded). */
  json: unknown;
  nowMs: number;
};

const field = (value: unknown, key: string): unknown =>
  value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;

/** Verifies one inbound request for `provider` with the source's plaintext secret. */
export async function verifyInbound(
  provider: WebhookProvider,
  secret: string,
  req: InboundRequest,
): Promise<Verdict> {
  const h = req.headers;
  switch (provider) {
    case "github":
      return verifyGitHubSignature(secret, req.body, h.get("x-hub-signature-256"));
    case "gitlab":
      return verifySharedToken(secret, h.get("x-gitlab-token"));
    case "jira":
      return verifyJiraSignature(secret, req.body, h.get("x-hub-signature"));
    case "figma":
      return verifySharedToken(secret, field(req.json, "passcode") as string | undefined);
    case "datadog":
      return verifySharedToken(secret, h.get(DATADOG_TOKEN_HEADER));
    case "sentry":
      return verifySentrySignature(secret, req.body, h.get("sentry-hook-signature"));
    case "slack":
      return verifySlackSignature(
        secret,
        req.body,
        h.get("x-slack-request-timestamp"),
        h.get("x-slack-signature"),
        req.nowMs,
      );
    case "standard":
      return verifyStandardWebhook(
        secret,
        req.body,
        {
          id: h.get("webhook-id"),
          timestamp: h.get("webhook-timestamp"),
          signature: h.get("webhook-signature"),
        },
        req.nowMs,
      );
  }
}

/** Datadog webhooks carry the token in a custom header configured in the Datadog integration. */
export const DATADOG_TOKEN_HEADER = "x-shifty-token";

/** Headers kept with each event (never secrets or signatures beyond what is needed to audit). */
const KEPT_HEADERS: Record<WebhookProvider, string[]> = {
  github: [
    "x-github-event",
    "x-github-delivery",
    "x-github-hook-id",
    "x-github-hook-installation-target-type",
  ],
  gitlab: [
    "x-gitlab-event",
    "x-gitlab-event-uuid",
    "x-gitlab-webhook-uuid",
    "x-gitlab-instance",
    "idempotency-key",
  ],
  jira: ["x-atlassian-webhook-identifier", "x-atlassian-webhook-retry"],
  figma: [],
  datadog: [],
  sentry: ["sentry-hook-resource", "sentry-hook-timestamp", "request-id"],
  slack: ["x-slack-request-timestamp", "x-slack-retry-num", "x-slack-retry-reason"],
  standard: ["webhook-id", "webhook-timestamp"],
};

export function selectHeaders(provider: WebhookProvider, headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ["content-type", "user-agent", ...KEPT_HEADERS[provider]]) {
    const value = headers.get(name);
    if (value !== null) kept[name] = value.slice(0, 512);
  }
  return kept;
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.length > 0 ? v : typeof v === "number" ? String(v) : undefined;

/**
 * The event type and the provider's delivery id. Providers that send no delivery id (Figma, Datadog,
 * Slack slash commands) are keyed on a hash of the body, so an identical retry is still a duplicate.
 */
export async function describeInbound(
  provider: WebhookProvider,
  req: InboundRequest,
): Promise<{ type: string; deliveryId: string }> {
  const h = req.headers;
  const j = req.json;
  let type: string | undefined;
  let deliveryId: string | undefined;
  switch (provider) {
    case "github":
      type = h.get("x-github-event") ?? undefined;
      deliveryId = h.get("x-github-delivery") ?? undefined;
      break;
    case "gitlab":
      type = str(field(j, "object_kind")) ?? h.get("x-gitlab-event") ?? undefined;
      deliveryId = h.get("idempotency-key") ?? h.get("x-gitlab-event-uuid") ?? undefined;
      break;
    case "jira":
      type = str(field(j, "webhookEvent"));
      deliveryId = h.get("x-atlassian-webhook-identifier") ?? undefined;
      break;
    case "figma":
      type = str(field(j, "event_type"));
      break;
    case "datadog":
      type = str(field(j, "event_type")) ?? str(field(j, "alert_transition"));
      deliveryId = str(field(j, "id"));
      break;
    case "sentry": {
      const resource = h.get("sentry-hook-resource") ?? "event";
      const action = str(field(j, "action"));
      type = action ? `${resource}.${action}` : resource;
      deliveryId = h.get("request-id") ?? undefined;
      break;
    }
    case "slack":
      type = str(field(field(j, "event"), "type")) ?? str(field(j, "type")) ?? "slash_command";
      deliveryId = str(field(j, "event_id"));
      break;
    case "standard":
      type = str(field(j, "type"));
      deliveryId = h.get("webhook-id") ?? undefined;
      break;
  }
  return {
    type: (type ?? "unknown").slice(0, 128),
    deliveryId: (deliveryId ?? `sha256:${await sha256Hex(req.body)}`).slice(0, 200),
  };
}
