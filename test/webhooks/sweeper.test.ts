import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { requeueStuckWork, STUCK_AFTER_MS } from "../../shared/webhooks/lifecycle.ts";
import type { OutgoingMessage, WebhookMessage } from "../../shared/webhooks/message.ts";
import { newTenant } from "../helpers.ts";
import { createSource, db, storeEvent } from "./helpers.ts";

function recordingQueue() {
  const sent: OutgoingMessage[] = [];
  return {
    sent,
    webhooks: {
      send: async (body: WebhookMessage) => {
        sent.push({ body });
      },
      sendBatch: async (messages: OutgoingMessage[]) => {
        sent.push(...messages);
      },
    },
  };
}

describe("the sweeper", () => {
  it("re-queues events whose message was lost, and leaves fresh or finished ones alone", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "standard" });
    const lost = await storeEvent(t, source.id, "standard", "lost", {});
    const fresh = await storeEvent(t, source.id, "standard", "fresh", {});
    const done = await storeEvent(t, source.id, "standard", "done", {});
    const now = Date.now() + STUCK_AFTER_MS + 60_000;
    // A failed enqueue cleared enqueued_at; the finished one was processed.
    await env.DB.prepare("UPDATE webhook_events SET enqueued_at = NULL WHERE id = ?").bind(lost.id).run();
    await env.DB.prepare("UPDATE webhook_events SET received_at = ?, enqueued_at = ? WHERE id = ?")
      .bind(now - 1000, now - 1000, fresh.id)
      .run();
    await env.DB.prepare("UPDATE webhook_events SET status = 'processed' WHERE id = ?").bind(done.id).run();

    const queue = recordingQueue();
    const count = await requeueStuckWork({ db: db(), queues: queue, clock: () => now });
    const ids = queue.sent.map((m) =>
      m.body.kind === "event"
        ? m.body.eventId
        : m.body.kind === "workflow"
          ? m.body.runId
          : m.body.deliveryId,
    );
    expect(count).toBe(queue.sent.length);
    expect(ids).toContain(lost.id);
    expect(ids).not.toContain(fresh.id);
    expect(ids).not.toContain(done.id);
    expect(queue.sent.find((m) => m.body.kind === "event" && m.body.eventId === lost.id)?.body).toEqual({
      kind: "event",
      orgId: t.orgId,
      eventId: lost.id,
      round: 0,
    });
  });
});
