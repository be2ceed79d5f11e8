import { describe, expect, it } from "vitest";
import { consumeOutreach } from "../../shared/pipeline/outreach-stage.ts";
import { outreachMessage } from "../../shared/pipeline/slack.ts";
import { isSlackWebhook, postSlackMessage, SlackError } from "../../shared/slack/webhook.ts";
import { newTenant } from "../helpers.ts";
import { createEndpoint } from "../webhooks/helpers.ts";
import {
  createExperiment,
  getLead,
  hotLead,
  leadByExternal,
  message,
  postLeads,
  stageDeps,
  waitFor,
} from "./helpers.ts";

const HOOK = "https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnop";

/**
 * A fake Slack incoming webhook: it records every request and answers like Slack does (200 `ok` for a
 * JSON body with `text`, 400 `invalid_payload` otherwise), or with the status it is told to.
 */
function fakeSlack(answer?: { status: number; body: string }) {
  const requests: { url: string; method: string; headers: Headers; body: string }[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = await request.text();
    requests.push({ url: request.url, method: request.method, headers: request.headers, body });
    if (answer) return new Response(answer.body, { status: answer.status });
    const ok =
      request.method === "POST" &&
      request.headers.get("content-type")?.startsWith("application/json") &&
      typeof (JSON.parse(body) as { text?: unknown }).text === "string";
    return ok ? new Response("ok") : new Response("invalid_payload", { status: 400 });
  };
  return { requests, fetch: fetchFn as typeof fetch };
}

const send = {
  leadId: "lead_1",
  email: "grace@acme.io",
  name: "Grace <QA> & co",
  persona: "qa_lead",
  experimentId: "exp_1",
  variantKey: "short",
  subject: "Flaky tests?",
  body: "We heal selectors.",
};

describe("Slack client", () => {
  it("posts the outreach as a Slack message with escaped mrkdwn and accepts Slack's ok", async () => {
    const slack = fakeSlack();
    await postSlackMessage({ fetch: slack.fetch, allowLoopback: false }, HOOK, outreachMessage(send));
    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request!.url).toBe(HOOK);
    expect(request!.method).toBe("POST");
    expect(request!.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(request!.headers.get("webhook-signature")).toBeNull();
    const body = JSON.parse(request!.body) as { text: string; blocks: { text: { text: string } }[] };
    expect(body.text).toBe("Outreach to grace@acme.io: Flaky tests?");
    expect(body.blocks[0]!.text.text).toBe(
      "Outreach to Grace &lt;QA&gt; &amp; co <mailto:grace@acme.io|grace@acme.io> (qa lead): variant *short* of experiment exp_1",
    );
    expect(body.blocks[1]!.text.text).toBe("*Flaky tests?*\nWe heal selectors.");
  });

  it("throws a SlackError with Slack's reason when it refuses, and never posts to a non-Slack URL", async () => {
    const gone = fakeSlack({ status: 404, body: "no_service" });
    const error = await postSlackMessage({ fetch: gone.fetch, allowLoopback: false }, HOOK, {
      text: "hi",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackError);
    expect((error as SlackError).status).toBe(404);
    expect((error as SlackError).message).toContain("no_service");
    // 200 with another body is not a delivery either (Slack answers `ok` and nothing else).
    const odd = fakeSlack({ status: 200, body: "maybe" });
    await expect(
      postSlackMessage({ fetch: odd.fetch, allowLoopback: false }, HOOK, { text: "hi" }),
    ).rejects.toThrow(SlackError);

    const never = fakeSlack();
    for (const url of [
      "http://hooks.slack.com/services/T/B/x",
      "https://hooks.slack.com.evil.io/services/T/B/x",
      "https://hooks.slack.com/other",
      "not a url",
    ]) {
      expect(isSlackWebhook(url), url).toBe(false);
      await expect(
        postSlackMessage({ fetch: never.fetch, allowLoopback: false }, url, { text: "hi" }),
      ).rejects.toThrow(SlackError);
    }
    expect(never.requests).toEqual([]);
    expect(isSlackWebhook(HOOK)).toBe(true);
  });

  it("delivers outreach.send to an org's Slack endpoint, retrying while Slack refuses", async () => {
    const t = await newTenant();
    await createEndpoint(t, { url: HOOK, eventTypes: ["outreach.send"] });
    await createExperiment(t);
    const lead = hotLead({ name: "Grace" });
    await postLeads(t, [lead]);
    const contacted = await waitFor(
      () => leadByExternal(t, lead.externalId),
      (l) => l?.status === "contacted",
    );
    expect(contacted?.status).toBe("contacted");
    const deps = (fetchFn: typeof fetch) => stageDeps({ fetch: fetchFn, allowLoopback: false });
    const body = { topic: "outreach.events", kind: "send", orgId: t.orgId, leadId: contacted!.id };

    const down = fakeSlack({ status: 500, body: "rollup_error" });
    const refused = [message(body, 1)];
    await consumeOutreach(refused, deps(down.fetch));
    expect(refused[0]!.acked).toBe(false);
    expect(refused[0]!.retried?.delaySeconds).toBeGreaterThan(0);

    const slack = fakeSlack();
    const ok = [message(body, 2)];
    await consumeOutreach(ok, deps(slack.fetch));
    expect(ok[0]!.acked).toBe(true);
    expect(slack.requests.map((r) => r.url)).toEqual([HOOK]);
    const posted = JSON.parse(slack.requests[0]!.body) as { text: string };
    expect(posted.text).toBe(`Outreach to ${lead.email}: ${contacted!.variantKey === "a" ? "Hi" : "Hello"}`);
    const detail = await getLead(t, contacted!.id);
    expect(detail.events.find((e) => e.type === "delivered")?.data).toEqual({ endpoints: 1 });
  });
});
