import { describe, expect, it } from "vitest";
import type {
  EndpointDeliveryPage,
  WebhookEvent,
  WebhookEventDetail,
} from "../../shared/contract/webhooks.ts";
import { consumeWebhookMessages } from "../../shared/webhooks/consumer.ts";
import { api, newTenant } from "../helpers.ts";
import { createEndpoint, createSource, message, storeEvent, testDeps } from "./helpers.ts";

/** A receiver answering `status` to every call, with a body naming it. */
function answering(status: number) {
  return (async () =>
    new Response(status === 200 ? "ok" : `upstream said no (${status})`, { status })) as typeof fetch;
}

const get = async <T>(path: string, token: string) => {
  const res = await api(path, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};

describe("webhook views for the dashboard (docs/webhooks.md)", () => {
  it("a processed event whose deliveries fail is `failing`, each delivery carries its HTTP status and response, and the endpoint page counts them", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "standard" });
    const down = await createEndpoint(t, {
      url: "https://down.customer.example/",
      eventTypes: ["standard.bad"],
    });
    await createEndpoint(t, { url: "https://up.customer.example/", eventTypes: ["standard.good"] });
    const bad = await storeEvent(t, source.id, "standard", "bad", {});
    const good = await storeEvent(t, source.id, "standard", "good", {});

    for (const [event, status] of [
      [bad, 503],
      [good, 200],
    ] as const) {
      const { deps, sent } = testDeps({ fetch: answering(status) });
      await consumeWebhookMessages(
        [message({ kind: "event", orgId: t.orgId, eventId: event.id, round: 0 })],
        deps,
      );
      await consumeWebhookMessages([message(sent[0]!.body)], deps);
    }

    const list = await get<{ items: WebhookEvent[] }>("/v1/webhook-events", t.apiKey);
    const byId = new Map(list.items.map((e) => [e.id, e]));
    expect(byId.get(bad.id)).toMatchObject({ status: "processed", displayStatus: "failing" });
    expect(byId.get(good.id)).toMatchObject({ status: "processed", displayStatus: "processed" });

    const detail = await get<WebhookEventDetail>(`/v1/webhook-events/${bad.id}`, t.apiKey);
    expect(detail.displayStatus).toBe("failing");
    expect(detail.deliveries).toEqual([
      expect.objectContaining({
        endpointId: down.id,
        status: "retrying",
        lastStatusCode: 503,
        lastResponseSnippet: "upstream said no (503)",
      }),
    ]);

    const page = await get<EndpointDeliveryPage>(`/v1/webhook-endpoints/${down.id}/deliveries`, t.apiKey);
    expect(page.items).toEqual([
      expect.objectContaining({ eventId: bad.id, eventType: "bad", lastStatusCode: 503 }),
    ]);
    expect(page.stats).toEqual({ total: 1, succeeded: 0, failed: 0, successRate: null });

    // Another tenant cannot read the endpoint's deliveries.
    const other = await newTenant();
    expect((await api(`/v1/webhook-endpoints/${down.id}/deliveries`, { token: other.apiKey })).status).toBe(
      404,
    );
  });

  it("answers the polled event list with an ETag and 304 while nothing changed", async () => {
    const t = await newTenant();
    const first = await api("/v1/webhook-events", { token: t.apiKey });
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await api("/v1/webhook-events", { token: t.apiKey, headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    const source = await createSource(t, { provider: "standard" });
    await storeEvent(t, source.id, "standard", "new", {});
    const changed = await api("/v1/webhook-events", { token: t.apiKey, headers: { "If-None-Match": etag! } });
    expect(changed.status).toBe(200);
  });
});
