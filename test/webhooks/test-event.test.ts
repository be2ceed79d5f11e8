import { afterEach, describe, expect, it, vi } from "vitest";
import type { WebhookTestDelivery } from "../../shared/contract/webhooks.ts";
import { DELIVERY_RETRY_SCHEDULE_SECONDS } from "../../shared/webhooks/routing.ts";
import { api, countOf, newTenant, problem, type Tenant } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";
import { createEndpoint, standardSignature } from "./helpers.ts";

/**
 * "Send test event" (docs/webhooks.md): a signed shifty.test through the normal delivery path, answered
 * with the delivery after its first attempt. The fake endpoint checks the signature itself.
 */

const URL_OK = "https://hooks.customer.example/test";
const URL_OTHER = "https://everything.customer.example/all";

type Received = { url: string; headers: Headers; body: string; signatureValid: boolean };

/** A fake network: the test endpoint verifies the Standard Webhooks signature and answers `status`. */
function fakeEndpoint(secret: () => string, status: number, answer: string) {
  const received: Received[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    const body = await req.text();
    const id = req.headers.get("webhook-id") ?? "";
    const ts = req.headers.get("webhook-timestamp") ?? "";
    const signatureValid = req.headers.get("webhook-signature") === standardSignature(secret(), id, ts, body);
    received.push({ url: req.url, headers: req.headers, body, signatureValid });
    return new Response(signatureValid ? answer : "bad signature", { status: signatureValid ? status : 401 });
  });
  return received;
}

const sendTest = (t: Tenant, endpointId: string, token = t.apiKey) =>
  api(`/v1/webhook-endpoints/${endpointId}/test`, { method: "POST", token });

afterEach(() => vi.restoreAllMocks());

describe("POST /v1/webhook-endpoints/{id}/test", () => {
  it("delivers a signed shifty.test to that endpoint only and returns the delivery", async () => {
    const t = await newTenant();
    const endpoint = await createEndpoint(t, { url: URL_OK, eventTypes: ["github.push"] });
    await createEndpoint(t, { url: URL_OTHER, eventTypes: ["*"] });
    const received = fakeEndpoint(() => endpoint.secret, 200, "thanks, got it");

    const res = await sendTest(t, endpoint.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("RateLimit-Policy")).toContain('"default"');
    const delivery = (await res.json()) as WebhookTestDelivery;
    expect(delivery).toMatchObject({
      type: "shifty.test",
      status: "succeeded",
      statusCode: 200,
      responseSnippet: "thanks, got it",
      error: null,
      nextAttemptAt: null,
    });
    expect(received).toHaveLength(1); // not the endpoint subscribed to everything
    const [call] = received;
    expect(call).toMatchObject({ url: URL_OK, signatureValid: true });
    expect(call!.headers.get("webhook-id")).toBe(delivery.deliveryId);
    const envelope = JSON.parse(call!.body) as { type: string; data: { eventId: string; payload: unknown } };
    expect(envelope.type).toBe("shifty.test");
    expect(envelope.data.eventId).toBe(delivery.eventId);
    expect(envelope.data.payload).toMatchObject({ type: "shifty.test", data: { endpointId: endpoint.id } });

    // The event is stored as processed (nothing fans it out later) with its delivery and attempt.
    const detail = await api(`/v1/webhook-events/${delivery.eventId}`, { token: t.apiKey });
    expect(await detail.json()).toMatchObject({
      provider: "shifty",
      type: "test",
      status: "processed",
      deliveries: [{ id: delivery.deliveryId, endpointId: endpoint.id, status: "succeeded", attempts: 1 }],
    });
  });

  it("a failing endpoint: the answer says what it said, and the queue retries on the usual schedule", async () => {
    const t = await newTenant();
    const endpoint = await createEndpoint(t, { url: URL_OK, eventTypes: ["shifty.*"] });
    const received = fakeEndpoint(() => endpoint.secret, 503, "down for maintenance");
    const before = Date.now();
    const delivery = (await (await sendTest(t, endpoint.id)).json()) as WebhookTestDelivery;
    expect(received).toHaveLength(1);
    expect(delivery).toMatchObject({
      status: "retrying",
      statusCode: 503,
      responseSnippet: "down for maintenance",
      error: "HTTP 503",
    });
    const firstWait = DELIVERY_RETRY_SCHEDULE_SECONDS[0] * 1000;
    expect(delivery.nextAttemptAt).toBeGreaterThanOrEqual(before + firstWait * 0.9);
    expect(delivery.nextAttemptAt).toBeLessThanOrEqual(Date.now() + firstWait * 1.1);
    const attempts = await countOf(
      "SELECT COUNT(*) AS n FROM webhook_attempts WHERE delivery_id = ? AND status_code = 503",
      delivery.deliveryId,
    );
    expect(attempts).toBe(1);
  });

  it("is tenant-scoped, needs webhooks:manage, refuses a disabled endpoint and costs 10 tokens", async () => {
    const t = await newTenant();
    const endpoint = await createEndpoint(t, { url: URL_OK, eventTypes: ["*"] });
    const received = fakeEndpoint(() => endpoint.secret, 200, "ok");
    const other = await newTenant("Other");
    expect((await sendTest(other, endpoint.id)).status).toBe(404);

    const reader = (await mintKey(t.token, ["webhooks:read"], "reader")).key;
    expect((await sendTest(t, endpoint.id, reader)).status).toBe(403);
    expect(received).toHaveLength(0);

    const remaining = async (res: Response) => Number(res.headers.get("X-RateLimit-Remaining"));
    const started = Date.now();
    const a = await remaining(await sendTest(t, endpoint.id));
    const b = await remaining(await sendTest(t, endpoint.id));
    // 10 tokens less, give or take what the free plan's bucket refilled meanwhile (2 per second).
    const refilled = Math.ceil(((Date.now() - started) / 1000) * 2) + 1;
    expect(a - b).toBeLessThanOrEqual(10);
    expect(a - b).toBeGreaterThanOrEqual(10 - refilled);
    expect(refilled).toBeLessThan(10);

    const disabled = await api(`/v1/webhook-endpoints/${endpoint.id}`, {
      method: "PATCH",
      token: t.apiKey,
      json: { enabled: false },
    });
    expect(disabled.status).toBe(200);
    const refused = await sendTest(t, endpoint.id);
    expect(refused.status).toBe(409);
    expect((await problem(refused)).detail).toMatch(/disabled/);
    expect(received).toHaveLength(2);
  });
});
