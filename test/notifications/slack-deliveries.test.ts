import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { jsonLogger } from "../../shared/logger.ts";
import { emitShiftyEvent } from "../../shared/notifications/events.ts";
import { consumeDeadLetters, consumeWebhookMessages } from "../../shared/webhooks/consumer.ts";
import type { OutgoingMessage, WebhookMessage } from "../../shared/webhooks/message.ts";
import { DELIVERY_RETRY_SCHEDULE_SECONDS } from "../../shared/webhooks/routing.ts";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { db, message, testDeps } from "../webhooks/helpers.ts";

/**
 * Slack posts of Shifty's events are deliveries (docs/notifications.md): the consumer is driven by
 * hand with a recording queue and a clock, against a fake Slack that answers what the test says.
 */

const SLACK_URL = "https://hooks.slack.com/services/T0001/B0002/qrstuvwxyz012345";

/** A fake Slack incoming webhook: answers the given statuses in turn (then `ok`), recording posts. */
function fakeSlack(statuses: number[]) {
  const posts: { url: string; method: string; body: string }[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    posts.push({ url: req.url, method: req.method, body: await req.text() });
    const status = statuses[posts.length - 1] ?? 200;
    return new Response(status === 200 ? "ok" : "server_error", { status });
  };
  return { posts, fetch: fetchFn as typeof fetch };
}

async function ruleFor(t: Tenant, eventTypes: string[]) {
  const res = await api(`/v1/projects/${t.projectId}/notification-rules`, {
    method: "POST",
    token: t.apiKey,
    json: { name: "Team", eventTypes, slackWebhookUrl: SLACK_URL },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Emits a gate.failed event and processes it; returns the Slack messages processing queued. */
async function emitAndProcess(t: Tenant, clock: { now: number }, fetchFn: typeof fetch) {
  const queued: OutgoingMessage[] = [];
  const queue = {
    send: async (body: WebhookMessage) => void queued.push({ body }),
    sendBatch: async (messages: OutgoingMessage[]) => void queued.push(...messages),
  };
  const runId = `run_${crypto.randomUUID()}`;
  const emitted = await emitShiftyEvent(
    { db: db(), queue, logger: jsonLogger(), now: clock.now },
    {
      orgId: t.orgId,
      projectId: t.projectId,
      type: "gate.failed",
      key: `gate.failed:${runId}`,
      summary: `Quality gate failed for run ${runId}`,
      data: { runId },
    },
  );
  const { deps, sent } = testDeps({ fetch: fetchFn, now: () => clock.now });
  await consumeWebhookMessages([message(queued[0]!.body)], deps);
  return { emitted, deps, sent, slack: sent.filter((m) => m.body.kind === "slack"), runId };
}

async function slackRow(id: string) {
  return env.DB.prepare("SELECT * FROM slack_deliveries WHERE id = ?").bind(id).first<{
    status: string;
    attempts: number;
    last_status_code: number | null;
    last_error: string | null;
  }>();
}

describe("Slack deliveries of Shifty events", () => {
  it("retries a failing Slack with backoff, succeeds on the third attempt, and posts nothing more", async () => {
    const t = await newTenant();
    await ruleFor(t, ["gate.failed"]);
    await ruleFor(t, ["run.completed"]); // not this event: no delivery
    const slack = fakeSlack([500, 503]);
    const clock = { now: Date.now() };
    const { deps, sent, slack: queued, runId } = await emitAndProcess(t, clock, slack.fetch);
    expect(queued).toHaveLength(1);
    expect(slack.posts).toHaveLength(0); // nothing is posted while processing the event
    const msg = queued[0]!.body as Extract<WebhookMessage, { kind: "slack" }>;

    const attempt = async () => {
      sent.length = 0;
      const m = message(msg);
      await consumeWebhookMessages([m], deps);
      expect(m.acked).toBe(true);
      return [...sent];
    };

    // Attempt 1 fails: retried after the first step of the schedule (random 0.5 → no jitter).
    let next = await attempt();
    expect(slack.posts).toHaveLength(1);
    expect(next).toEqual([{ body: msg, delaySeconds: DELIVERY_RETRY_SCHEDULE_SECONDS[0] }]);
    expect(await slackRow(msg.deliveryId)).toMatchObject({
      status: "retrying",
      attempts: 1,
      last_status_code: 500,
    });

    // Arriving before it is due posts nothing and waits again for the rest.
    clock.now += 2_000;
    next = await attempt();
    expect(slack.posts).toHaveLength(1);
    expect(next).toEqual([{ body: msg, delaySeconds: DELIVERY_RETRY_SCHEDULE_SECONDS[0] - 2 }]);

    // Attempt 2 fails too: the next step.
    clock.now += DELIVERY_RETRY_SCHEDULE_SECONDS[0] * 1000;
    next = await attempt();
    expect(slack.posts).toHaveLength(2);
    expect(next).toEqual([{ body: msg, delaySeconds: DELIVERY_RETRY_SCHEDULE_SECONDS[1] }]);
    expect(await slackRow(msg.deliveryId)).toMatchObject({ status: "retrying", last_status_code: 503 });

    // Attempt 3 succeeds; a duplicate message afterwards posts nothing.
    clock.now += DELIVERY_RETRY_SCHEDULE_SECONDS[1] * 1000;
    expect(await attempt()).toEqual([]);
    expect(await slackRow(msg.deliveryId)).toMatchObject({
      status: "succeeded",
      attempts: 3,
      last_error: null,
    });
    expect(await attempt()).toEqual([]);
    expect(slack.posts).toHaveLength(3);
    for (const post of slack.posts) {
      expect(post).toMatchObject({ url: SLACK_URL, method: "POST" });
      const body = JSON.parse(post.body) as { text: string; blocks: { text: { text: string } }[] };
      expect(body.text).toBe(`Quality gate failed for run ${runId}`);
      expect(body.blocks[0]!.text.text).toContain("*shifty.gate.failed*");
    }
  });

  it("does not retry what Slack refuses for good, and a dead-lettered message ends its delivery", async () => {
    const t = await newTenant();
    await ruleFor(t, ["gate.failed"]);
    const clock = { now: Date.now() };
    const gone = fakeSlack([404]);
    const first = await emitAndProcess(t, clock, gone.fetch);
    const refused = first.slack[0]!.body as Extract<WebhookMessage, { kind: "slack" }>;
    first.sent.length = 0;
    await consumeWebhookMessages([message(refused)], first.deps);
    expect(first.sent).toEqual([]); // no retry queued
    expect(await slackRow(refused.deliveryId)).toMatchObject({
      status: "failed",
      attempts: 1,
      last_status_code: 404,
    });

    const second = await emitAndProcess(t, clock, fakeSlack([]).fetch);
    const lost = second.slack[0]!.body as Extract<WebhookMessage, { kind: "slack" }>;
    await consumeDeadLetters([message(lost)], second.deps);
    expect(await slackRow(lost.deliveryId)).toMatchObject({ status: "failed", last_error: "dead-lettered" });
  });

  it("a deleted rule's pending delivery is cancelled without posting", async () => {
    const t = await newTenant();
    const ruleId = await ruleFor(t, ["gate.failed"]);
    const slack = fakeSlack([]);
    const { deps, slack: queued } = await emitAndProcess(t, { now: Date.now() }, slack.fetch);
    const msg = queued[0]!.body as Extract<WebhookMessage, { kind: "slack" }>;
    const deleted = await api(`/v1/notification-rules/${ruleId}`, { method: "DELETE", token: t.apiKey });
    expect(deleted.status).toBe(204);
    await consumeWebhookMessages([message(msg)], deps);
    expect(slack.posts).toHaveLength(0);
    expect(await slackRow(msg.deliveryId)).toMatchObject({ status: "cancelled", last_error: "rule deleted" });
  });
});
