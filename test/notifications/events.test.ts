import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { abstainingRename, clearRename } from "../healing-api/heal-fixtures.ts";
import { postHeal, recordHeal } from "../healing-api/heal-requests.ts";
import { api, newTenant, postRun, type Tenant } from "../helpers.ts";
import { newSession } from "../sessions/room-client.ts";
import {
  createEndpoint,
  createSource,
  githubSignature,
  hexHmac,
  ingest,
  poll,
  standardSignature,
} from "../webhooks/helpers.ts";

/**
 * Shifty's own events from their real sources (docs/notifications.md): each trigger, then a fake
 * endpoint receiving one signed delivery of the event, once however often the trigger repeats.
 */
type Seen = { url: string; headers: Headers; body: string };
let seen: Seen[] = [];
beforeEach(() => {
  seen = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push({ url: req.url, headers: req.headers, body: await req.text() });
    return new Response("ok");
  });
});
afterEach(() => vi.restoreAllMocks());

const ENDPOINT = "https://hooks.customer.example/shifty";

/** The signed deliveries the endpoint received, checked against its secret, as envelopes. */
async function receivedBy(secret: string, type: string, n = 1) {
  const calls = await poll(
    async () => seen.filter((s) => s.url === ENDPOINT),
    (list) => list.length >= n,
    20_000,
  );
  return calls.map((call) => {
    const id = call.headers.get("webhook-id")!;
    const ts = call.headers.get("webhook-timestamp")!;
    expect(call.headers.get("webhook-signature")).toBe(standardSignature(secret, id, ts, call.body));
    const envelope = JSON.parse(call.body) as {
      type: string;
      data: {
        payload: { type: string; projectId: string | null; summary: string; data: Record<string, unknown> };
      };
    };
    expect(envelope.type).toBe(`shifty.${type}`);
    return envelope.data.payload;
  });
}

const subscribe = (t: Tenant, type: string) =>
  createEndpoint(t, { url: ENDPOINT, eventTypes: [`shifty.${type}`] });

describe("Shifty's own events, from their sources", () => {
  it("session.ended: ending a manual session", async () => {
    const t = await newTenant();
    const endpoint = await subscribe(t, "session.ended");
    const s = await newSession(t, { title: "Checkout exploration" });
    const ended = await api(`/v1/sessions/${s.id}/end`, { method: "POST", token: t.apiKey });
    expect(ended.status).toBe(200);
    const [payload] = await receivedBy(endpoint.secret, "session.ended");
    expect(payload).toMatchObject({
      type: "shifty.session.ended",
      projectId: t.projectId,
      data: { sessionId: s.id, title: "Checkout exploration", endedAt: expect.any(Number) },
    });
    // Ending it again is a 409 and emits nothing more.
    expect((await api(`/v1/sessions/${s.id}/end`, { method: "POST", token: t.apiKey })).status).toBe(409);
    expect(seen.filter((x) => x.url === ENDPOINT)).toHaveLength(1);
  });

  it("deploy.at_risk: the deploy monitor's verdict, once per deployment", async () => {
    const t = await newTenant();
    const endpoint = await subscribe(t, "deploy.at_risk");
    const settings = await api("/v1/ai/settings", {
      method: "PUT",
      token: t.apiKey,
      json: { deployWindowMinutes: 5 },
    });
    expect(settings.status).toBe(200);
    const failing = `<?xml version="1.0"?><testsuites><testsuite name="s"><testcase classname="s" name="pays" time="1"><failure message="boom">at a (a.ts:1:1)</failure></testcase></testsuite></testsuites>`;
    const upload = await postRun(t, failing);
    expect(upload.status).toBe(201);
    const secret = "events-deploy-secret-0123456789ab";
    const source = await createSource(t, { provider: "github", secret, projectId: t.projectId });
    const body = JSON.stringify({
      deployment_status: {
        state: "success",
        environment: "production",
        updated_at: new Date(Date.now() - 10 * 60_000).toISOString(),
      },
      deployment: { id: 6060, sha: "6".repeat(40), ref: "main", environment: "production" },
      repository: { full_name: "octo/shop" },
    });
    const send = () =>
      ingest(source.url, body, {
        "x-github-event": "deployment_status",
        "x-github-delivery": crypto.randomUUID(),
        "x-hub-signature-256": githubSignature(secret, body),
      });
    expect((await send()).status).toBe(202);
    const [payload] = await receivedBy(endpoint.secret, "deploy.at_risk");
    expect(payload?.projectId).toBe(t.projectId);
    expect(payload?.data).toMatchObject({ environment: "production", commitSha: "6".repeat(40) });
    expect(String((payload!.data.signals as string[])[0])).toMatch(/failed its quality gate/);

    // The same deployment reported again: a second monitor run, but the event's key is the deployment.
    expect((await send()).status).toBe(202);
    await poll(
      async () => {
        const res = await api("/v1/ai/workflow-runs?workflow=deploy_monitor", { token: t.apiKey });
        return ((await res.json()) as { items: { status: string }[] }).items;
      },
      (items) => items.length === 2 && items.every((r) => r.status === "succeeded"),
      20_000,
    );
    const events = await api("/v1/webhook-events?provider=shifty", { token: t.apiKey });
    const atRisk = ((await events.json()) as { items: { type: string }[] }).items.filter(
      (e) => e.type === "deploy.at_risk",
    );
    expect(atRisk).toHaveLength(1);
    expect(seen.filter((x) => x.url === ENDPOINT)).toHaveLength(1);
  });
});

describe("incident.opened", () => {
  it("an incident webhook announces the incident once, repeated alerts and its resolution add nothing", async () => {
    const t = await newTenant();
    const endpoint = await subscribe(t, "incident.opened");
    const secret = "events-sentry-secret-0123456789ab";
    const sentry = await createSource(t, { provider: "sentry", secret, projectId: t.projectId });
    const alert = (action: string) => {
      const body = JSON.stringify({
        action,
        data: { issue: { id: "9911", title: "TypeError: cart is undefined", level: "error" } },
      });
      return ingest(sentry.url, body, {
        "sentry-hook-resource": "issue",
        "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
        "request-id": crypto.randomUUID(),
        "sentry-hook-signature": hexHmac(secret, body),
      });
    };
    expect((await alert("created")).status).toBe(202);
    const [payload] = await receivedBy(endpoint.secret, "incident.opened");
    expect(payload).toMatchObject({
      projectId: t.projectId,
      data: {
        provider: "sentry",
        externalId: "9911",
        title: "TypeError: cart is undefined",
        severity: "error",
      },
    });
    expect((await alert("created")).status).toBe(202);
    expect((await alert("resolved")).status).toBe(202);
    await poll(
      async () => {
        const res = await api("/v1/ai/workflow-runs?workflow=incident_jira", { token: t.apiKey });
        return ((await res.json()) as { items: { status: string }[] }).items;
      },
      (items) => items.length === 3 && items.every((r) => !["queued", "running"].includes(r.status)),
      20_000,
    );
    const events = await api("/v1/webhook-events?provider=shifty&type=incident.opened", { token: t.apiKey });
    expect(((await events.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect(seen.filter((x) => x.url === ENDPOINT)).toHaveLength(1);
  });
});

/** The org's stored Shifty events of a type (one per idempotency key). */
async function shiftyEvents(t: Tenant, type: string) {
  const res = await api(`/v1/webhook-events?provider=shifty&type=${type}`, { token: t.apiKey });
  return ((await res.json()) as { items: { id: string }[] }).items;
}

const flakyJunit = (cases: Record<string, "pass" | "flaky">, suffix = "") =>
  `<?xml version="1.0"?><testsuites><testsuite name="cart.Spec">${Object.entries(cases)
    .map(
      ([name, outcome]) =>
        `<testcase classname="cart.Spec" name="${name}" time="0.1">${
          outcome === "flaky" ? `<flakyFailure message="timed out${suffix}"/>` : ""
        }</testcase>`,
    )
    .join("")}</testsuite></testsuites>`;

const uploadJunit = (t: Tenant, body: string, buildId: string) =>
  postRun(t, body, { provider: "github", buildId, branch: "main" });

describe("flaky.detected", () => {
  it("announces the tests an upload newly marks flaky, once per run; tests already flaky add nothing", async () => {
    const t = await newTenant();
    const endpoint = await subscribe(t, "flaky.detected");
    const first = await uploadJunit(t, flakyJunit({ "adds to cart": "flaky", pays: "pass" }), "b1");
    expect(first.status).toBe(201);
    const run = (await first.json()) as { id: string };
    const [payload] = await receivedBy(endpoint.secret, "flaky.detected");
    expect(payload).toMatchObject({
      projectId: t.projectId,
      summary: `1 test turned flaky in run ${run.id}: adds to cart`,
      data: {
        runId: run.id,
        branch: "main",
        count: 1,
        tests: [{ name: "adds to cart", suite: "cart.Spec", testId: expect.stringMatching(/^tst_/) }],
      },
    });

    // The same report again is the same run (200): nothing new. A later run where the test flakes
    // again finds it flaky already; only "pays" turning flaky is news.
    expect((await uploadJunit(t, flakyJunit({ "adds to cart": "flaky", pays: "pass" }), "b1")).status).toBe(
      200,
    );
    const second = await uploadJunit(t, flakyJunit({ "adds to cart": "flaky", pays: "flaky" }, "!"), "b2");
    expect(second.status).toBe(201);
    const both = await receivedBy(endpoint.secret, "flaky.detected", 2);
    expect(both[1]?.data).toMatchObject({ count: 1, tests: [{ name: "pays" }] });
    const third = await uploadJunit(t, flakyJunit({ "adds to cart": "flaky", pays: "flaky" }, "?"), "b3");
    expect(third.status).toBe(201);
    await poll(
      async () =>
        (await api(`/v1/webhook-events?provider=shifty&type=run.completed`, { token: t.apiKey })).json(),
      (page) => (page as { items: unknown[] }).items.length === 3,
    );
    expect(await shiftyEvents(t, "flaky.detected")).toHaveLength(2);
    expect(seen.filter((x) => x.url === ENDPOINT)).toHaveLength(2);
  });
});

/** POST /v1/heal for `request` in the tenant's project. */
const healIn = (t: Tenant, request: Record<string, unknown>) =>
  postHeal(t.apiKey, { ...request, projectId: t.projectId });

/** The endpoint's heal.pending_review delivery: for the tenant's project, its data matching `data`. */
async function expectPendingReview(t: Tenant, endpoint: { secret: string }, data: Record<string, unknown>) {
  const [payload] = await receivedBy(endpoint.secret, "heal.pending_review");
  expect(payload).toMatchObject({ projectId: t.projectId, data });
}

describe("heal.pending_review", () => {
  it("a heal that abstains with a suggestion joins the review queue and is announced once", async () => {
    const t = await newTenant();
    const endpoint = await subscribe(t, "heal.pending_review");
    const res = await healIn(t, abstainingRename);
    const answer = (await res.json()) as {
      healed: boolean;
      attemptId: string;
      suggestion: { index: number; confidence: number };
    };
    expect(answer.healed).toBe(false);
    await expectPendingReview(t, endpoint, {
      kind: "suggestion",
      attemptId: answer.attemptId,
      suggestion: { index: answer.suggestion.index, confidence: answer.suggestion.confidence },
    });
    // A heal that heals is not for review.
    const healed = await healIn(t, clearRename);
    expect(((await healed.json()) as { healed: boolean }).healed).toBe(true);
    await poll(
      async () => (await api(`/v1/heal/attempts?projectId=${t.projectId}`, { token: t.apiKey })).json(),
      (page) => (page as { items: unknown[] }).items.length === 2,
    );
    expect(await shiftyEvents(t, "heal.pending_review")).toHaveLength(1);
  });

  it("a healed locator recorded below the auto-accept threshold is announced once, however often recorded", async () => {
    const t = await newTenant();
    const endpoint = await subscribe(t, "heal.pending_review");
    const attempt = await healIn(t, clearRename);
    const { attemptId } = (await attempt.json()) as { attemptId: string };
    const heal = (confidence: number, location: string) =>
      recordHeal(t, {
        testFile: "tests/cart.spec.ts",
        testTitle: "cart › saves",
        location,
        originalSelector: "#save",
        healedSelector: "#save-v2",
        confidence,
        attemptId,
      });
    const pending = await heal(0.7, "tests/cart.spec.ts:3:5");
    expect(pending.status).toBe(201);
    const locator = (await pending.json()) as { id: string; status: string };
    expect(locator.status).toBe("pending");
    await expectPendingReview(t, endpoint, {
      kind: "healed_locator",
      healId: locator.id,
      attemptId,
      location: "tests/cart.spec.ts:3:5",
      originalSelector: "#save",
      healedSelector: "#save-v2",
      confidence: 0.7,
    });
    expect((await heal(0.7, "tests/cart.spec.ts:3:5")).status).toBe(200); // an occurrence, not news
    expect(((await (await heal(0.99, "tests/cart.spec.ts:9:1")).json()) as { status: string }).status).toBe(
      "accepted",
    );
    await poll(
      async () => (await api(`/v1/projects/${t.projectId}/heals`, { token: t.apiKey })).json(),
      (page) => (page as { items: unknown[] }).items.length === 2,
    );
    expect(await shiftyEvents(t, "heal.pending_review")).toHaveLength(1);
    expect(seen.filter((x) => x.url === ENDPOINT)).toHaveLength(1);
  });
});
