import { env } from "cloudflare:workers";
import { createHmac } from "node:crypto";
import { createDb } from "../../shared/db/client.ts";
import type { WebhookProvider } from "../../shared/db/schema/webhooks.ts";
import type { ConsumerDeps } from "../../shared/webhooks/consumer.ts";
import { persistEvent } from "../../shared/webhooks/lifecycle.ts";
import type { WebhookMessage } from "../../shared/webhooks/message.ts";
import { webhookConsumerDeps } from "../../workers/queues/webhooks.ts";
import { api, type Tenant } from "../helpers.ts";
import { waitFor } from "../wait-for.ts";

export const db = () => createDb(env.DB);

export async function createSource(
  t: Tenant,
  body: {
    provider: WebhookProvider;
    name?: string;
    secret?: string;
    environment?: string;
    projectId?: string;
  },
) {
  const res = await api("/v1/webhook-sources", {
    method: "POST",
    token: t.apiKey,
    json: { name: `${body.provider} source`, ...body },
  });
  if (res.status !== 201) throw new Error(`create source: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; url: string; secret: string; provider: string };
}

export async function createEndpoint(t: Tenant, body: Record<string, unknown>) {
  const res = await api("/v1/webhook-endpoints", { method: "POST", token: t.apiKey, json: body });
  if (res.status !== 201) throw new Error(`create endpoint: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; secret: string; url: string; status: string };
}

/** POSTs a raw body to the public ingest URL (no Authorization, any content type). */
export function ingest(path: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  return api(path, {
    method: "POST",
    body: body as BodyInit,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Independent implementations (node:crypto), so the production code is not checked against itself. */
export const hexHmac = (secret: string | Buffer, data: string) =>
  createHmac("sha256", secret).update(data).digest("hex");
export const githubSignature = (secret: string, body: string) => `sha256=${hexHmac(secret, body)}`;
export function standardSignature(secret: string, id: string, ts: number | string, body: string) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`;
}

export { type FakeMessage, message } from "../support/queue-message.ts";

/** Consumer deps on the test env with a recording queue, a fixed clock and no real network. */
export function testDeps(overrides: Partial<ConsumerDeps> = {}) {
  const sent: { body: WebhookMessage; delaySeconds?: number }[] = [];
  const deps = webhookConsumerDeps(env, {
    enqueue: async (messages) => {
      sent.push(...messages);
    },
    fetch: async () => {
      throw new Error("no network in tests");
    },
    random: () => 0.5,
    ...overrides,
  });
  return { deps, sent };
}

/** Stores an event the way ingest does, without queueing it (tests drive the consumer by hand). */
export async function storeEvent(
  t: Tenant,
  sourceId: string,
  provider: WebhookProvider,
  type: string,
  payload: unknown,
  extra: { environment?: "prod" | "stg" | "int" | "dev" | null; deliveryId?: string } = {},
) {
  const { event } = await persistEvent(db(), {
    orgId: t.orgId,
    sourceId,
    provider,
    type,
    deliveryId: extra.deliveryId ?? crypto.randomUUID(),
    environment: extra.environment ?? null,
    headers: {},
    body: JSON.stringify(payload),
    receivedAt: Date.now(),
  });
  return event;
}

/** `waitFor` from test/wait-for.ts with this suite's (done, timeout) arguments. */
export const poll = <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) =>
  waitFor(read, { until: done, timeoutMs });
