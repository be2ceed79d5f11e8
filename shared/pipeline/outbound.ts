import { and, eq } from "drizzle-orm";
import { decryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { webhookEndpoints } from "../db/schema/webhooks.ts";
import { checkOutboundUrl } from "../net/outbound-url.ts";
import { isSlackWebhook, postSlackMessage } from "../slack/webhook.ts";
import { matchesEventType } from "../webhooks/routing.ts";
import { signStandardWebhook } from "../webhooks/signatures.ts";
import { type OutreachForSlack, outreachMessage } from "./slack.ts";

/** The event type endpoints subscribe to (`outreach.send`, `outreach.*` or `*`). */
export const OUTREACH_SEND = "outreach.send";
const TIMEOUT_MS = 15_000;

export type Endpoint = typeof webhookEndpoints.$inferSelect;

/** The org's active endpoints that want outreach sends; none means record-only mode. */
export async function outreachEndpoints(db: Db, orgId: string): Promise<Endpoint[]> {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.status, "active")));
  return rows.filter((e) => matchesEventType(e.eventTypes, OUTREACH_SEND));
}

/**
 * Posts one signed (Standard Webhooks, the endpoint's own secret) `outreach.send` to each endpoint,
 * or a Slack message to an endpoint whose URL is a Slack incoming webhook (slack.ts, shared/slack/webhook.ts).
 * The webhook-id is stable per lead and variant, so a receiver deduplicates a retried send.
 * Throws when any endpoint refuses, so the queue retries the message.
 */
export async function deliverOutreach(
  deps: { fetch: typeof fetch; encryptionKey: string; allowLoopback: boolean; now: () => number },
  endpoints: Endpoint[],
  send: { id: string; payload: OutreachForSlack & Record<string, unknown> },
): Promise<void> {
  const body = JSON.stringify({
    type: OUTREACH_SEND,
    timestamp: new Date(deps.now()).toISOString(),
    data: send.payload,
  });
  const failures: string[] = [];
  for (const endpoint of endpoints) {
    if (isSlackWebhook(endpoint.url)) {
      await postSlackMessage(deps, endpoint.url, outreachMessage(send.payload)).catch((error: unknown) =>
        failures.push(`${endpoint.id}: ${String(error)}`),
      );
      continue;
    }
    const verdict = checkOutboundUrl(endpoint.url, { allowLoopback: deps.allowLoopback });
    if (!verdict.ok) {
      failures.push(`${endpoint.id}: ${verdict.reason}`);
      continue;
    }
    const secret = await decryptSecret(deps.encryptionKey, endpoint.secretSealed, endpoint.id);
    const timestamp = Math.floor(deps.now() / 1000);
    const res = await deps
      .fetch(verdict.url.toString(), {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          "content-type": "application/json",
          "webhook-id": send.id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": await signStandardWebhook(secret, send.id, timestamp, body),
        },
        body,
      })
      .catch((error: unknown) => ({ ok: false, status: 0, error }));
    if (!res.ok) failures.push(`${endpoint.id}: HTTP ${res.status}`);
  }
  if (failures.length > 0) throw new Error(`outreach delivery failed: ${failures.join("; ")}`);
}
