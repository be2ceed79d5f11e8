import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, auditActions, countOf, newTenant, problem } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";
import { createSource, githubSignature, hexHmac, ingest, poll, standardSignature } from "./helpers.ts";

const GITHUB_SECRET = "It's a Secret to Everybody";

async function eventRow(id: string) {
  return env.DB.prepare("SELECT * FROM webhook_events WHERE id = ?")
    .bind(id)
    .first<Record<string, unknown>>();
}

describe("POST /hooks/{sourceId}", () => {
  it("verifies a GitHub delivery, stores it with its env, answers 202 and the queue processes it", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "github", secret: GITHUB_SECRET });
    expect(source.url).toBe(`/hooks/${source.id}`);
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const started = Date.now();
    const res = await ingest(`${source.url}?env=stg`, body, {
      "x-github-event": "ping",
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": githubSignature(GITHUB_SECRET, body),
    });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(2000);
    const { id, duplicate } = (await res.json()) as { id: string; duplicate: boolean };
    expect(duplicate).toBe(false);
    const row = await eventRow(id);
    expect(row).toMatchObject({
      org_id: t.orgId,
      provider: "github",
      type: "ping",
      environment: "stg",
      delivery_id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      body,
    });
    expect(JSON.parse(row!.headers as string)).toMatchObject({ "x-github-event": "ping" });
    // The real WEBHOOKS consumer picks it up.
    const processed = await poll(
      () => eventRow(id),
      (r) => r?.status === "processed",
    );
    expect(processed?.status).toBe("processed");
  });

  it("answers a duplicate delivery id with 200 {duplicate:true} and stores nothing new", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "github", secret: GITHUB_SECRET });
    const body = '{"action":"opened"}';
    const headers = {
      "x-github-event": "issues",
      "x-github-delivery": "dup-1",
      "x-hub-signature-256": githubSignature(GITHUB_SECRET, body),
    };
    expect((await ingest(source.url, body, headers)).status).toBe(202);
    const again = await ingest(source.url, body, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    const count = await countOf("SELECT COUNT(*) AS n FROM webhook_events WHERE source_id = ?", source.id);
    expect(count).toBe(1);
  });

  it("401s a bad signature, a tampered body and a missing header with the same answer", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "github", secret: GITHUB_SECRET });
    const body = '{"a":1}';
    const details = new Set<string>();
    const variants: Record<string, string>[] = [
      { "x-hub-signature-256": githubSignature("wrong secret", body) },
      { "x-hub-signature-256": githubSignature(GITHUB_SECRET, '{"a":2}') },
      {},
    ];
    for (const headers of variants) {
      const res = await ingest(source.url, body, {
        "x-github-event": "push",
        "x-github-delivery": crypto.randomUUID(),
        ...headers,
      });
      expect(res.status).toBe(401);
      details.add((await problem(res)).detail);
    }
    expect(details.size).toBe(1);
    const count = await countOf("SELECT COUNT(*) AS n FROM webhook_events WHERE source_id = ?", source.id);
    expect(count).toBe(0);
  });

  it("404s an unknown or malformed source id", async () => {
    for (const path of ["/hooks/src_01jd0000000000000000000000", "/hooks/not-an-id"]) {
      const res = await ingest(path, "{}");
      expect(res.status).toBe(404);
      await problem(res);
    }
  });

  it("413s a body over 1 MiB", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "gitlab", secret: "gitlab-token-0123456789" });
    const res = await ingest(source.url, "x".repeat(1024 * 1024 + 1), {
      "x-gitlab-token": "gitlab-token-0123456789",
    });
    expect(res.status).toBe(413);
  });

  it("validates the environment from ?env= or X-Env and falls back to the source's", async () => {
    const t = await newTenant();
    const source = await createSource(t, {
      provider: "gitlab",
      secret: "gitlab-token-0123456789",
      environment: "dev",
    });
    const headers = { "x-gitlab-token": "gitlab-token-0123456789", "x-gitlab-event": "Push Hook" };
    const bad = await ingest(`${source.url}?env=production`, '{"object_kind":"push"}', {
      ...headers,
      "idempotency-key": "k1",
    });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).errors?.[0]?.path).toBe("env");
    const viaHeader = await ingest(source.url, '{"object_kind":"push"}', {
      ...headers,
      "idempotency-key": "k2",
      "x-env": "int",
    });
    expect((await eventRow(((await viaHeader.json()) as { id: string }).id))?.environment).toBe("int");
    const fallback = await ingest(source.url, '{"object_kind":"push"}', {
      ...headers,
      "idempotency-key": "k3",
    });
    expect((await eventRow(((await fallback.json()) as { id: string }).id))?.environment).toBe("dev");
  });

  it("accepts Standard Webhooks, Slack, Sentry, Jira, Figma and Datadog deliveries and rejects stale ones", async () => {
    const t = await newTenant();
    const now = Math.floor(Date.now() / 1000);

    const std = await createSource(t, { provider: "standard" });
    expect(std.secret).toMatch(/^whsec_/);
    const stdBody = '{"type":"invoice.paid","data":{"id":1}}';
    const stdHeaders = (ts: number) => ({
      "webhook-id": `msg_${ts}`,
      "webhook-timestamp": String(ts),
      "webhook-signature": standardSignature(std.secret, `msg_${ts}`, ts, stdBody),
    });
    expect((await ingest(std.url, stdBody, stdHeaders(now))).status).toBe(202);
    expect((await ingest(std.url, stdBody, stdHeaders(now - 301))).status).toBe(401);

    const slack = await createSource(t, { provider: "slack" });
    const slackBody = '{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention"}}';
    const slackSig = (ts: number) => `v0=${hexHmac(slack.secret, `v0:${ts}:${slackBody}`)}`;
    const okSlack = await ingest(slack.url, slackBody, {
      "x-slack-request-timestamp": String(now),
      "x-slack-signature": slackSig(now),
    });
    expect(okSlack.status).toBe(202);
    expect((await eventRow(((await okSlack.json()) as { id: string }).id))?.type).toBe("app_mention");
    expect(
      (
        await ingest(slack.url, slackBody, {
          "x-slack-request-timestamp": String(now - 400),
          "x-slack-signature": slackSig(now - 400),
        })
      ).status,
    ).toBe(401);
    const challenge =
      '{"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}';
    const verify = await ingest(slack.url, challenge, {
      "x-slack-request-timestamp": String(now),
      "x-slack-signature": `v0=${hexHmac(slack.secret, `v0:${now}:${challenge}`)}`,
    });
    expect(await verify.json()).toEqual({
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });

    const sentry = await createSource(t, { provider: "sentry" });
    const sentryBody = '{"action":"created","data":{"issue":{"id":"42","title":"TypeError"}}}';
    const okSentry = await ingest(sentry.url, sentryBody, {
      "sentry-hook-resource": "issue",
      "request-id": "r-1",
      "sentry-hook-signature": hexHmac(sentry.secret, sentryBody),
    });
    expect(okSentry.status).toBe(202);
    expect((await eventRow(((await okSentry.json()) as { id: string }).id))?.type).toBe("issue.created");

    const jira = await createSource(t, { provider: "jira" });
    const jiraBody = '{"webhookEvent":"jira:issue_updated"}';
    expect(
      (
        await ingest(jira.url, jiraBody, {
          "x-atlassian-webhook-identifier": "j1",
          "x-hub-signature": `sha256=${hexHmac(jira.secret, jiraBody)}`,
        })
      ).status,
    ).toBe(202);

    const figma = await createSource(t, { provider: "figma" });
    expect(
      (await ingest(figma.url, JSON.stringify({ event_type: "FILE_UPDATE", passcode: figma.secret }))).status,
    ).toBe(202);
    expect(
      (await ingest(figma.url, JSON.stringify({ event_type: "FILE_UPDATE", passcode: "guess" }))).status,
    ).toBe(401);

    const dd = await createSource(t, { provider: "datadog" });
    expect((await ingest(dd.url, '{"id":"1","alert_id":"9"}', { "x-shifty-token": dd.secret })).status).toBe(
      202,
    );
    expect((await ingest(dd.url, '{"id":"2"}', { "x-shifty-token": `${dd.secret}x` })).status).toBe(401);
  });
});

describe("webhook sources API", () => {
  it("creates (secret shown once, stored encrypted), lists, gets and deletes", async () => {
    const t = await newTenant();
    const created = await createSource(t, {
      provider: "github",
      environment: "prod",
      projectId: t.projectId,
    });
    expect(created.secret).toHaveLength(40);
    const stored = await env.DB.prepare("SELECT secret_sealed FROM webhook_sources WHERE id = ?")
      .bind(created.id)
      .first<{ secret_sealed: string }>();
    expect(stored?.secret_sealed).toMatch(/^v1\./);
    expect(stored?.secret_sealed).not.toContain(created.secret);
    const got = await api(`/v1/webhook-sources/${created.id}`, { token: t.apiKey });
    expect(await got.json()).toMatchObject({
      id: created.id,
      provider: "github",
      environment: "prod",
      projectId: t.projectId,
    });
    expect(
      JSON.stringify(await (await api("/v1/webhook-sources", { token: t.apiKey })).json()),
    ).not.toContain(created.secret);
    expect(
      (await api(`/v1/webhook-sources/${created.id}`, { method: "DELETE", token: t.apiKey })).status,
    ).toBe(204);
    expect((await ingest(created.url, "{}")).status).toBe(404);
    expect(await auditActions(t.orgId, "webhook_source.%")).toEqual([
      "webhook_source.create",
      "webhook_source.delete",
    ]);
  });

  it("400s bad bodies", async () => {
    const t = await newTenant();
    for (const json of [
      { provider: "bitbucket", name: "x" },
      { provider: "github" },
      { provider: "standard", name: "s", secret: "not-a-whsec-secret" },
      { provider: "github", name: "x", extra: 1 },
    ]) {
      const res = await api("/v1/webhook-sources", { method: "POST", token: t.apiKey, json });
      expect(res.status).toBe(400);
      await problem(res);
    }
  });

  it("hides another tenant's sources (404) and needs webhooks:manage to create (403)", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const source = await createSource(a, { provider: "github" });
    expect((await api(`/v1/webhook-sources/${source.id}`, { token: b.apiKey })).status).toBe(404);
    expect(
      (await api(`/v1/webhook-sources/${source.id}`, { method: "DELETE", token: b.apiKey })).status,
    ).toBe(404);
    const { key } = await mintKey(a.token, ["webhooks:read"], "read only");
    expect((await api("/v1/webhook-sources", { token: key })).status).toBe(200);
    const denied = await api("/v1/webhook-sources", {
      method: "POST",
      token: key,
      json: { provider: "github", name: "x" },
    });
    expect(denied.status).toBe(403);
    await problem(denied);
  });
});
