import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CIRCUIT_BREAKER_FAILURES } from "../../shared/webhooks/breaker.ts";
import { consumeWebhookMessages } from "../../shared/webhooks/consumer.ts";
import type { WebhookMessage } from "../../shared/webhooks/message.ts";
import { DELIVERY_RETRY_SCHEDULE_SECONDS } from "../../shared/webhooks/routing.ts";
import worker from "../../workers/index.ts";
import { api, auditActions, newTenant, problem, rows, type Tenant } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";
import {
  createEndpoint,
  createSource,
  message,
  poll,
  standardSignature,
  storeEvent,
  testDeps,
} from "./helpers.ts";

const eventMsg = (t: Tenant, e: { id: string; round: number }): WebhookMessage => ({
  kind: "event",
  orgId: t.orgId,
  eventId: e.id,
  round: e.round,
});

const workflowRun = (status: string, conclusion: string | null, updatedAt: string) => ({
  action: status === "completed" ? "completed" : "in_progress",
  workflow_run: {
    id: 30433642,
    name: "Build",
    status,
    conclusion,
    head_sha: "acb5820ced9479c074f688cc328bf03f341a511d",
    head_branch: "main",
    html_url: "https://github.com/octo-org/octo-repo/actions/runs/30433642",
    updated_at: updatedAt,
  },
  repository: { full_name: "octo-org/octo-repo" },
});

describe("WEBHOOKS consumer: internal handlers", () => {
  it("records a workflow_run as a CI pipeline once, however often it is delivered", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "github", projectId: t.projectId });
    const event = await storeEvent(
      t,
      source.id,
      "github",
      "workflow_run",
      workflowRun("completed", "success", "2026-11-20T10:00:00Z"),
    );
    const { deps } = testDeps();
    const first = message(eventMsg(t, event));
    const again = message(eventMsg(t, event), 2);
    // Concurrent duplicates: both run, only one applies.
    await Promise.all([consumeWebhookMessages([first], deps), consumeWebhookMessages([again], deps)]);
    expect(first.acked && again.acked).toBe(true);
    const runs = await rows("SELECT * FROM ci_pipeline_records WHERE org_id = ?", t.orgId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      project_id: t.projectId,
      provider: "github",
      kind: "workflow_run",
      external_id: "30433642",
      status: "completed",
      conclusion: "success",
      branch: "main",
      commit_sha: "acb5820ced9479c074f688cc328bf03f341a511d",
    });
    const applied = await rows("SELECT * FROM webhook_event_applications WHERE event_id = ?", event.id);
    expect(applied).toHaveLength(1);
    const processAttempts = await rows(
      "SELECT * FROM webhook_attempts WHERE event_id = ? AND kind = 'process' AND outcome = 'succeeded'",
      event.id,
    );
    expect(processAttempts).toHaveLength(1);

    // An older state arriving late does not move the record backwards.
    const stale = await storeEvent(
      t,
      source.id,
      "github",
      "workflow_run",
      workflowRun("in_progress", null, "2026-11-20T09:00:00Z"),
    );
    await consumeWebhookMessages([message(eventMsg(t, stale))], deps);
    expect((await rows("SELECT status FROM ci_pipeline_records WHERE org_id = ?", t.orgId))[0]?.status).toBe(
      "completed",
    );
  });

  it("turns deployment_status, push, pull_request, Datadog and Sentry events into records", async () => {
    const t = await newTenant();
    const gh = await createSource(t, { provider: "github" });
    const dd = await createSource(t, { provider: "datadog" });
    const sentry = await createSource(t, { provider: "sentry" });
    const repo = { full_name: "octo-org/octo-repo" };
    const events = [
      await storeEvent(t, gh.id, "github", "deployment_status", {
        deployment_status: {
          state: "success",
          environment: "production",
          updated_at: "2026-11-20T10:00:00Z",
        },
        deployment: { id: 42, sha: "abc", ref: "main" },
        repository: repo,
      }),
      await storeEvent(t, gh.id, "github", "push", {
        ref: "refs/heads/main",
        commits: [
          {
            id: "c1",
            message: "Fix login\n\nbody",
            timestamp: "2026-11-20T09:00:00Z",
            author: { username: "octocat" },
          },
          { id: "c2", message: "Tidy", timestamp: "2026-11-20T09:01:00Z", author: { name: "Mona" } },
        ],
        repository: repo,
      }),
      await storeEvent(t, gh.id, "github", "pull_request", {
        action: "closed",
        pull_request: {
          number: 7,
          title: "Login fix",
          state: "closed",
          merged: true,
          merged_at: "2026-11-20T09:30:00Z",
          created_at: "2026-11-19T09:00:00Z",
          updated_at: "2026-11-20T09:30:00Z",
          head: { ref: "fix", sha: "c2" },
          user: { login: "octocat" },
        },
        repository: repo,
      }),
      await storeEvent(
        t,
        dd.id,
        "datadog",
        "metric_alert_monitor",
        {
          id: "e1",
          alert_id: "123",
          title: "[Triggered] p99 latency",
          alert_transition: "Triggered",
          priority: "P1",
          last_updated: "1763629200000",
        },
        { environment: "prod" },
      ),
      await storeEvent(t, sentry.id, "sentry", "issue.created", {
        action: "created",
        data: {
          issue: {
            id: "555",
            title: "TypeError: x is undefined",
            level: "error",
            lastSeen: "2026-11-20T10:00:00Z",
          },
        },
      }),
    ];
    const { deps } = testDeps();
    const msgs = events.map((e) => message(eventMsg(t, e)));
    await consumeWebhookMessages(msgs, deps);
    expect(msgs.every((m) => m.acked)).toBe(true);
    expect(
      await rows(
        "SELECT external_id, state, environment, commit_sha FROM deployment_records WHERE org_id = ?",
        t.orgId,
      ),
    ).toEqual([{ external_id: "42", state: "success", environment: "production", commit_sha: "abc" }]);
    const changes = await rows(
      "SELECT kind, external_id, title, author, state FROM change_records WHERE org_id = ? ORDER BY external_id",
      t.orgId,
    );
    expect(changes).toEqual([
      { kind: "commit", external_id: "c1", title: "Fix login", author: "octocat", state: "pushed" },
      { kind: "commit", external_id: "c2", title: "Tidy", author: "Mona", state: "pushed" },
      {
        kind: "pull_request",
        external_id: "octo-org/octo-repo#7",
        title: "Login fix",
        author: "octocat",
        state: "merged",
      },
    ]);
    const incidents = await rows(
      "SELECT provider, external_id, status, severity, environment FROM incident_records WHERE org_id = ? ORDER BY provider",
      t.orgId,
    );
    expect(incidents).toEqual([
      { provider: "datadog", external_id: "123", status: "open", severity: "P1", environment: "prod" },
      { provider: "sentry", external_id: "555", status: "open", severity: "error", environment: null },
    ]);
    // The alert recovers: same incident, resolved.
    const recovered = await storeEvent(t, dd.id, "datadog", "metric_alert_monitor", {
      id: "e2",
      alert_id: "123",
      title: "[Recovered] p99 latency",
      alert_transition: "Recovered",
      last_updated: "1763629800000",
    });
    await consumeWebhookMessages([message(eventMsg(t, recovered))], deps);
    expect(
      await rows(
        "SELECT status, resolved_at FROM incident_records WHERE org_id = ? AND provider = 'datadog'",
        t.orgId,
      ),
    ).toEqual([{ status: "resolved", resolved_at: 1763629800000 }]);
  });
});

describe("retries, dead letters and replay", () => {
  it("retries a failing handler with growing jittered backoff, dead-letters it, and replays it", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "github" });
    const event = await storeEvent(
      t,
      source.id,
      "github",
      "workflow_run",
      workflowRun("completed", "failure", "2026-11-20T10:00:00Z"),
    );
    const { deps } = testDeps({
      handlers: [
        () => {
          throw new Error("CI store unavailable");
        },
      ],
    });
    const delays: number[] = [];
    for (let attempts = 1; attempts <= 7; attempts++) {
      const m = message(eventMsg(t, event), attempts);
      await consumeWebhookMessages([m], deps);
      expect(m.acked).toBe(false);
      delays.push(m.retried?.delaySeconds ?? -1);
    }
    expect(delays).toEqual([4, 8, 15, 30, 60, 120, 240]); // 5·2^(n-1) with random()=0.5 → ×0.75
    expect(
      await rows("SELECT status, attempts, last_error FROM webhook_events WHERE id = ?", event.id),
    ).toEqual([{ status: "failed", attempts: 7, last_error: "CI store unavailable" }]);
    expect(await rows("SELECT * FROM ci_pipeline_records WHERE org_id = ?", t.orgId)).toHaveLength(0);

    // After the last retry the queue moves the message to webhooks-dlq; its consumer marks it dead.
    const batch = createMessageBatch("webhooks-dlq", [
      { id: "m1", timestamp: Date.now(), attempts: 1, body: eventMsg(t, event) },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<unknown>, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect((await rows("SELECT status FROM webhook_events WHERE id = ?", event.id))[0]?.status).toBe("dead");

    const dlq = (await (await api("/v1/webhook-dlq", { token: t.apiKey })).json()) as {
      items: { id: string }[];
    };
    expect(dlq.items.map((e) => e.id)).toEqual([event.id]);
    const attempts = (await (
      await api(`/v1/webhook-events/${event.id}/attempts`, { token: t.apiKey })
    ).json()) as { items: { outcome: string; error: string }[] };
    expect(attempts.items).toHaveLength(7);
    expect(attempts.items.every((a) => a.outcome === "failed" && a.error === "CI store unavailable")).toBe(
      true,
    );

    // Replay: the real queue and the real handlers process it this time.
    const replay = await api(`/v1/webhook-events/${event.id}/replay`, { method: "POST", token: t.apiKey });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ id: event.id, round: 1, status: "received" });
    const after = await poll(
      () => rows("SELECT status FROM webhook_events WHERE id = ?", event.id),
      (r) => r[0]?.status === "processed",
    );
    expect(after[0]?.status).toBe("processed");
    expect(await rows("SELECT conclusion FROM ci_pipeline_records WHERE org_id = ?", t.orgId)).toEqual([
      { conclusion: "failure" },
    ]);
    // A late message of the old round is dropped, not applied.
    const old = message(eventMsg(t, event), 1);
    await consumeWebhookMessages([old], testDeps().deps);
    expect(old.acked).toBe(true);
    expect(await rows("SELECT * FROM webhook_event_applications WHERE event_id = ?", event.id)).toHaveLength(
      1,
    );
    // Audited once, as a single replay (not a bulk one).
    expect(await auditActions(t.orgId, "webhook_event.%")).toEqual(["webhook_event.replay"]);
  });

  it("bulk-replays dead events by filter and keeps tenants apart", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const source = await createSource(a, { provider: "jira" });
    const dead = [];
    for (let i = 0; i < 3; i++) {
      const e = await storeEvent(
        a,
        source.id,
        "jira",
        i === 2 ? "jira:issue_created" : "jira:issue_updated",
        { i },
      );
      await env.DB.prepare("UPDATE webhook_events SET status = 'dead' WHERE id = ?").bind(e.id).run();
      dead.push(e.id);
    }
    const res = await api("/v1/webhook-events/replay", {
      method: "POST",
      token: a.apiKey,
      json: { type: "jira:issue_updated" },
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { replayed: number; eventIds: string[] };
    expect(body.replayed).toBe(2);
    expect(body.eventIds.sort()).toEqual(dead.slice(0, 2).sort());
    // Tenant B sees none of it and can replay none of it.
    expect(
      ((await (await api("/v1/webhook-events", { token: b.apiKey })).json()) as { items: unknown[] }).items,
    ).toHaveLength(0);
    expect((await api(`/v1/webhook-events/${dead[2]}`, { token: b.apiKey })).status).toBe(404);
    expect(
      (await api(`/v1/webhook-events/${dead[2]}/replay`, { method: "POST", token: b.apiKey })).status,
    ).toBe(404);
    expect((await api(`/v1/webhook-events/${dead[2]}/attempts`, { token: b.apiKey })).status).toBe(404);
    expect(
      (
        (await (
          await api("/v1/webhook-events/replay", { method: "POST", token: b.apiKey, json: {} })
        ).json()) as { replayed: number }
      ).replayed,
    ).toBe(0);
    // Filters on the list.
    const listed = (await (
      await api("/v1/webhook-events?provider=jira&status=dead", { token: a.apiKey })
    ).json()) as { items: { id: string }[] };
    expect(listed.items.map((e) => e.id)).toEqual([dead[2]]);
    const bad = await api("/v1/webhook-events?status=exploded", { token: a.apiKey });
    expect(bad.status).toBe(400);
    await problem(bad);
  });
});

type Captured = { url: string; headers: Headers; body: string };

function receiver(statuses: number[]) {
  const calls: Captured[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers), body: String(init?.body) });
    const status = statuses[Math.min(calls.length - 1, statuses.length - 1)]!;
    return new Response(status === 200 ? "ok" : `error ${status} `.repeat(200), { status });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

describe("outbound deliveries", () => {
  it("signs per Standard Webhooks (checked independently), retries on the schedule and logs every attempt", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "github" });
    const endpoint = await createEndpoint(t, {
      url: "https://hooks.customer.example/shifty",
      eventTypes: ["github.push"],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    await createEndpoint(t, { url: "https://other.customer.example/", eventTypes: ["github.pull_request"] });
    const event = await storeEvent(t, source.id, "github", "push", { ref: "refs/heads/main", commits: [] });
    const { calls, fetch } = receiver([500, 200]);
    let clock = Date.now();
    const { deps, sent } = testDeps({ fetch, now: () => clock });

    await consumeWebhookMessages([message(eventMsg(t, event))], deps);
    expect(sent).toHaveLength(1); // only the push subscriber
    const deliver = sent[0]!.body;
    expect(deliver.kind).toBe("deliver");

    await consumeWebhookMessages([message(deliver)], deps);
    expect(calls).toHaveLength(1);
    expect(sent[1]).toEqual({ body: deliver, delaySeconds: DELIVERY_RETRY_SCHEDULE_SECONDS[0] });
    // Arriving early (before next_attempt_at) does not send; it waits again.
    await consumeWebhookMessages([message(deliver)], deps);
    expect(calls).toHaveLength(1);
    clock += 6_000;
    await consumeWebhookMessages([message(deliver)], deps);
    expect(calls).toHaveLength(2);

    const call = calls[1]!;
    expect(call.url).toBe("https://hooks.customer.example/shifty");
    const id = call.headers.get("webhook-id")!;
    const ts = call.headers.get("webhook-timestamp")!;
    expect(call.headers.get("webhook-signature")).toBe(standardSignature(endpoint.secret, id, ts, call.body));
    expect(calls[0]!.headers.get("webhook-id")).toBe(id); // same message id on every retry
    expect(JSON.parse(call.body)).toMatchObject({
      type: "github.push",
      data: { eventId: event.id, provider: "github", payload: { ref: "refs/heads/main" } },
    });

    const attempts = (await (
      await api(`/v1/webhook-events/${event.id}/attempts`, { token: t.apiKey })
    ).json()) as {
      items: {
        kind: string;
        outcome: string;
        statusCode: number | null;
        latencyMs: number | null;
        responseSnippet: string | null;
      }[];
    };
    const delivered = attempts.items.filter((a) => a.kind === "deliver");
    expect(delivered.map((a) => [a.outcome, a.statusCode])).toEqual([
      ["failed", 500],
      ["succeeded", 200],
    ]);
    expect(delivered[0]!.responseSnippet!.length).toBeLessThanOrEqual(1024);
    expect(delivered[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    const detail = (await (await api(`/v1/webhook-events/${event.id}`, { token: t.apiKey })).json()) as {
      deliveries: { status: string; attempts: number }[];
    };
    expect(detail.deliveries).toEqual([expect.objectContaining({ status: "succeeded", attempts: 2 })]);
    // A redelivered message for a finished delivery sends nothing.
    await consumeWebhookMessages([message(deliver)], deps);
    expect(calls).toHaveLength(2);
  });

  it("gives up after the last scheduled retry", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "standard" });
    await createEndpoint(t, { url: "https://down.customer.example/", eventTypes: ["*"] });
    const event = await storeEvent(t, source.id, "standard", "invoice.paid", {});
    const { calls, fetch } = receiver([503]);
    let clock = Date.now();
    const { deps, sent } = testDeps({ fetch, now: () => clock });
    await consumeWebhookMessages([message(eventMsg(t, event))], deps);
    const deliver = sent[0]!.body;
    for (let i = 0; i < 8; i++) {
      await consumeWebhookMessages([message(deliver)], deps);
      clock += 25 * 3600 * 1000;
    }
    expect(calls).toHaveLength(8);
    const [d] = await rows(
      "SELECT status, attempts, last_status_code FROM webhook_deliveries WHERE event_id = ?",
      event.id,
    );
    expect(d).toEqual({ status: "failed", attempts: 8, last_status_code: 503 });
    // The 24 h wait exceeds the queue's 12 h limit: capped, and re-enqueued on early arrival.
    expect(Math.max(...sent.map((s) => s.delaySeconds ?? 0))).toBe(12 * 3600);
  });

  it("disables an endpoint that answers 410, and trips the circuit breaker after sustained failure", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "standard" });
    const gone = await createEndpoint(t, {
      url: "https://gone.customer.example/",
      eventTypes: ["standard.a"],
    });
    const flaky = await createEndpoint(t, {
      url: "https://flaky.customer.example/",
      eventTypes: ["standard.b"],
    });
    let clock = Date.now();

    const e1 = await storeEvent(t, source.id, "standard", "a", {});
    const g = testDeps({ fetch: receiver([410]).fetch, now: () => clock });
    await consumeWebhookMessages([message(eventMsg(t, e1))], g.deps);
    await consumeWebhookMessages([message(g.sent[0]!.body)], g.deps);
    expect(g.sent).toHaveLength(1); // no retry after 410
    const goneNow = (await (await api(`/v1/webhook-endpoints/${gone.id}`, { token: t.apiKey })).json()) as {
      status: string;
      disabledReason: string;
    };
    expect(goneNow).toMatchObject({ status: "disabled", disabledReason: "The endpoint answered 410 Gone" });

    const f = testDeps({ fetch: receiver([500]).fetch, now: () => clock });
    for (let i = 0; i < CIRCUIT_BREAKER_FAILURES; i++) {
      const e = await storeEvent(t, source.id, "standard", "b", { i });
      await consumeWebhookMessages([message(eventMsg(t, e))], f.deps);
      await consumeWebhookMessages([message(f.sent.at(-1)!.body)], f.deps);
      clock += 10 * 60 * 1000; // ten failures over 90+ minutes
    }
    const flakyNow = (await (await api(`/v1/webhook-endpoints/${flaky.id}`, { token: t.apiKey })).json()) as {
      status: string;
      disabledReason: string;
      consecutiveFailures: number;
    };
    expect(flakyNow.status).toBe("disabled");
    expect(flakyNow.disabledReason).toMatch(
      /^Circuit breaker: 10 consecutive failed attempts since .+; last: HTTP 500$/,
    );
    const audit = await rows(
      "SELECT actor_type, target_id FROM audit_log WHERE org_id = ? AND action = 'webhook_endpoint.disable' ORDER BY seq",
      t.orgId,
    );
    expect(audit).toEqual([
      { actor_type: "system", target_id: gone.id },
      { actor_type: "system", target_id: flaky.id },
    ]);
    // Re-enabling resets the breaker.
    const enabled = await api(`/v1/webhook-endpoints/${flaky.id}`, {
      method: "PATCH",
      token: t.apiKey,
      json: { enabled: true },
    });
    expect(await enabled.json()).toMatchObject({
      status: "active",
      consecutiveFailures: 0,
      disabledReason: null,
    });
  });

  it("signs with both secrets during a rotation's grace period, then only the new one", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "standard" });
    const endpoint = await createEndpoint(t, {
      url: "https://rotate.customer.example/",
      eventTypes: ["standard.*"],
    });
    const rotated = await api(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {
      method: "POST",
      token: t.apiKey,
      json: { graceSeconds: 3600 },
    });
    expect(rotated.status).toBe(200);
    const { secret: newSecret } = (await rotated.json()) as { secret: string };
    expect(newSecret).not.toBe(endpoint.secret);
    const { calls, fetch } = receiver([200]);
    let clock = Date.now();
    const { deps, sent } = testDeps({ fetch, now: () => clock });
    for (const advance of [0, 2 * 3600 * 1000]) {
      clock += advance;
      const e = await storeEvent(t, source.id, "standard", "x", { advance });
      await consumeWebhookMessages([message(eventMsg(t, e))], deps);
      await consumeWebhookMessages([message(sent.at(-1)!.body)], deps);
    }
    const sigs = calls.map((c) => c.headers.get("webhook-signature")!.split(" "));
    const expectFor = (c: Captured, s: string) =>
      standardSignature(s, c.headers.get("webhook-id")!, c.headers.get("webhook-timestamp")!, c.body);
    expect(sigs[0]).toEqual([expectFor(calls[0]!, newSecret), expectFor(calls[0]!, endpoint.secret)]);
    expect(sigs[1]).toEqual([expectFor(calls[1]!, newSecret)]);
  });

  it("refuses private and loopback targets (at creation and at send time) outside local development", async () => {
    const t = await newTenant();
    for (const url of [
      "http://127.0.0.1:9999/hook",
      "http://169.254.169.254/latest",
      "http://10.0.0.5/",
      "not a url",
    ]) {
      const res = await api("/v1/webhook-endpoints", {
        method: "POST",
        token: t.apiKey,
        json: { url, eventTypes: ["*"] },
      });
      expect(res.status).toBe(422);
      expect((await problem(res)).errors?.[0]?.path).toBe("url");
    }
    // A row that predates the guard (or a changed environment) is still refused when sending.
    const source = await createSource(t, { provider: "standard" });
    const endpoint = await createEndpoint(t, { url: "https://fine.customer.example/", eventTypes: ["*"] });
    await env.DB.prepare("UPDATE webhook_endpoints SET url = 'http://127.0.0.1:9/' WHERE id = ?")
      .bind(endpoint.id)
      .run();
    const event = await storeEvent(t, source.id, "standard", "x", {});
    const { calls, fetch } = receiver([200]);
    const { deps, sent } = testDeps({ fetch });
    expect(deps.allowLoopback).toBe(false); // APP_ENV=test: loopback only in development
    await consumeWebhookMessages([message(eventMsg(t, event))], deps);
    await consumeWebhookMessages([message(sent[0]!.body)], deps);
    expect(calls).toHaveLength(0);
    expect(
      await rows("SELECT status, last_error FROM webhook_deliveries WHERE event_id = ?", event.id),
    ).toEqual([
      { status: "failed", last_error: "refused by SSRF guard: loopback addresses are not allowed" },
    ]);
  });

  it("validates endpoint bodies and scopes endpoints to their tenant", async () => {
    const a = await newTenant();
    const b = await newTenant();
    for (const json of [
      { url: "https://x.example/" },
      { url: "https://x.example/", eventTypes: [] },
      { url: "https://x.example/", eventTypes: ["bad type!"] },
      { url: "https://x.example/", eventTypes: ["*"], environment: "qa" },
    ]) {
      const res = await api("/v1/webhook-endpoints", { method: "POST", token: a.apiKey, json });
      expect(res.status).toBe(400);
    }
    const endpoint = await createEndpoint(a, { url: "https://x.example/", eventTypes: ["*"] });
    expect((await api(`/v1/webhook-endpoints/${endpoint.id}`, { token: b.apiKey })).status).toBe(404);
    expect(
      (
        await api(`/v1/webhook-endpoints/${endpoint.id}`, {
          method: "PATCH",
          token: b.apiKey,
          json: { enabled: false },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {
          method: "POST",
          token: b.apiKey,
          json: {},
        })
      ).status,
    ).toBe(404);
    const { key } = await mintKey(a.token, ["webhooks:read"], "reader");
    expect((await api(`/v1/webhook-endpoints/${endpoint.id}`, { token: key })).status).toBe(200);
    expect((await api(`/v1/webhook-endpoints/${endpoint.id}`, { method: "DELETE", token: key })).status).toBe(
      403,
    );
    expect((await api(`/v1/webhook-events/replay`, { method: "POST", token: key, json: {} })).status).toBe(
      403,
    );
    expect(
      (await api(`/v1/webhook-endpoints/${endpoint.id}`, { method: "DELETE", token: a.apiKey })).status,
    ).toBe(204);
  });
});
