import { afterEach, describe, expect, it, vi } from "vitest";
import type { NotificationRule, NotificationTestResult } from "../../shared/contract/notifications.ts";
import { postSlackMessage, SlackError } from "../../shared/slack/webhook.ts";
import { api, newTenant, postRun, type Tenant } from "../helpers.ts";
import { createEndpoint, poll, standardSignature } from "../webhooks/helpers.ts";

type Seen = { url: string; method: string; headers: Headers; body: string };

const SLACK_URL = "https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnop";

/**
 * A fake network for the Worker's outbound fetch: records every request and answers per host (Slack
 * answers `ok` like the real incoming-webhook endpoint, or the status the test sets).
 */
function fakeNetwork(slackStatus = 200) {
  const seen: Seen[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push({ url: req.url, method: req.method, headers: req.headers, body: await req.text() });
    if (new URL(req.url).host === "hooks.slack.com") {
      return new Response(slackStatus === 200 ? "ok" : "no_service", { status: slackStatus });
    }
    return new Response("ok", { status: 200 });
  };
  return { seen, fetch: fetchFn as typeof fetch };
}

const failingJunit = `<?xml version="1.0"?><testsuites><testsuite name="s">
  <testcase classname="s" name="pays" time="1"><failure message="boom">at a (a.ts:1:1)</failure></testcase>
  <testcase classname="s" name="ships" time="1"/></testsuite></testsuites>`;

async function createRule(t: Tenant, body: Record<string, unknown>) {
  return api(`/v1/projects/${t.projectId}/notification-rules`, {
    method: "POST",
    token: t.apiKey,
    json: body,
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Shifty's own events out", () => {
  it("a failed gate reaches a subscribed endpoint (signed) and the project's Slack webhook", async () => {
    const net = fakeNetwork();
    vi.spyOn(globalThis, "fetch").mockImplementation(net.fetch);
    const t = await newTenant();
    const endpoint = await createEndpoint(t, {
      url: "https://hooks.customer.example/shifty",
      eventTypes: ["shifty.gate.failed"],
    });
    await createEndpoint(t, { url: "https://other.customer.example/", eventTypes: ["github.*"] });
    const rule = await createRule(t, {
      name: "Gate",
      eventTypes: ["gate.failed"],
      slackWebhookUrl: SLACK_URL,
    });
    expect(rule.status).toBe(201);
    const created = (await rule.json()) as NotificationRule;
    expect(JSON.stringify(created)).not.toContain("abcdefghijklmnop"); // the URL is the credential

    const upload = await postRun(t, failingJunit, { commit: "b".repeat(40), branch: "main" });
    expect(upload.status).toBe(201);
    const run = (await upload.json()) as { id: string; gate: { status: string } };
    expect(run.gate.status).toBe("fail");

    const both = await poll(
      async () => net.seen,
      (seen) =>
        seen.some((s) => s.url.startsWith("https://hooks.customer.example")) &&
        seen.some((s) => s.url === SLACK_URL),
      20_000,
    );
    const toEndpoint = both.filter((s) => s.url.startsWith("https://hooks.customer.example"));
    expect(toEndpoint).toHaveLength(1); // run.completed is not subscribed
    const call = toEndpoint[0]!;
    const id = call.headers.get("webhook-id")!;
    const ts = call.headers.get("webhook-timestamp")!;
    expect(call.headers.get("webhook-signature")).toBe(standardSignature(endpoint.secret, id, ts, call.body));
    const envelope = JSON.parse(call.body) as {
      type: string;
      data: { payload: { data: { runId: string } } };
    };
    expect(envelope.type).toBe("shifty.gate.failed");
    expect(envelope.data.payload.data.runId).toBe(run.id);
    expect(both.some((s) => s.url.startsWith("https://other.customer.example"))).toBe(false);

    const slack = both.filter((s) => s.url === SLACK_URL);
    expect(slack).toHaveLength(1);
    expect(slack[0]!.method).toBe("POST");
    expect(slack[0]!.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const message = JSON.parse(slack[0]!.body) as { text: string; blocks: unknown[] };
    expect(message.text).toContain(`Quality gate failed for run ${run.id}`);
    expect(message.blocks).toHaveLength(1);
  });

  it("sends a test message on demand and reports what Slack answered", async () => {
    const t = await newTenant();
    const res = await createRule(t, {
      name: "All",
      eventTypes: ["run.completed"],
      slackWebhookUrl: SLACK_URL,
    });
    const rule = (await res.json()) as NotificationRule;
    const ok = fakeNetwork(200);
    vi.spyOn(globalThis, "fetch").mockImplementation(ok.fetch);
    const sent = await api(`/v1/notification-rules/${rule.id}/test`, { method: "POST", token: t.apiKey });
    expect(sent.status).toBe(200);
    expect((await sent.json()) as NotificationTestResult).toEqual({
      delivered: true,
      status: 200,
      error: null,
    });
    expect(ok.seen.map((s) => s.url)).toEqual([SLACK_URL]);
    expect(JSON.parse(ok.seen[0]!.body).text).toContain("test notification");

    vi.restoreAllMocks();
    vi.spyOn(globalThis, "fetch").mockImplementation(fakeNetwork(404).fetch);
    const refused = (await (
      await api(`/v1/notification-rules/${rule.id}/test`, { method: "POST", token: t.apiKey })
    ).json()) as NotificationTestResult;
    expect(refused).toMatchObject({ delivered: false, status: 404 });

    const other = await newTenant("Other");
    const foreign = await api(`/v1/notification-rules/${rule.id}/test`, {
      method: "POST",
      token: other.apiKey,
    });
    expect(foreign.status).toBe(404);
    const list = await api(`/v1/projects/${t.projectId}/notification-rules`, { token: t.apiKey });
    expect(((await list.json()) as { items: NotificationRule[] }).items.map((r) => r.id)).toEqual([rule.id]);
    expect(
      (await api(`/v1/notification-rules/${rule.id}`, { method: "DELETE", token: t.apiKey })).status,
    ).toBe(204);
  });

  it("refuses private, plain-http or unknown event types with 4xx", async () => {
    const t = await newTenant();
    const cases: [Record<string, unknown>, number][] = [
      [{ name: "x", eventTypes: ["gate.failed"], slackWebhookUrl: "https://10.0.0.7/hook" }, 422],
      [{ name: "x", eventTypes: ["gate.failed"], slackWebhookUrl: "http://hooks.slack.com/x" }, 400],
      [{ name: "x", eventTypes: ["gate.exploded"], slackWebhookUrl: SLACK_URL }, 400],
      [{ name: "x", eventTypes: [], slackWebhookUrl: SLACK_URL }, 400],
    ];
    for (const [body, status] of cases)
      expect((await createRule(t, body)).status, JSON.stringify(body)).toBe(status);
  });
});

describe("Slack client", () => {
  it("posts JSON, surfaces Slack's refusal and never calls a private address", async () => {
    const net = fakeNetwork(400);
    const client = { fetch: net.fetch, allowLoopback: false };
    await expect(postSlackMessage(client, SLACK_URL, { text: "hi" })).rejects.toMatchObject({
      name: "SlackError",
      status: 400,
    });
    expect(JSON.parse(net.seen[0]!.body)).toEqual({ text: "hi" });
    await expect(
      postSlackMessage(client, "https://169.254.169.254/latest", { text: "x" }),
    ).rejects.toBeInstanceOf(SlackError);
    expect(net.seen).toHaveLength(1);
    const down = {
      fetch: (async () => {
        throw new TypeError("network");
      }) as typeof fetch,
      allowLoopback: false,
    };
    await expect(postSlackMessage(down, SLACK_URL, { text: "x" })).rejects.toMatchObject({ status: null });
  });
});
