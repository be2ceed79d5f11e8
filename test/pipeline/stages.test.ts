import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDb } from "../../shared/db/client.ts";
import type { PipelineDeps } from "../../shared/pipeline/deps.ts";
import { consumeOutreach } from "../../shared/pipeline/outreach-stage.ts";
import { consumeRaw } from "../../shared/pipeline/stages.ts";
import worker from "../../workers/index.ts";
import { api, newTenant, type Tenant } from "../helpers.ts";
import {
  createExperiment,
  getLead,
  hotLead,
  leadByExternal,
  message,
  postLeads,
  rows,
  waitFor,
} from "./helpers.ts";

function deps(over: Partial<PipelineDeps> = {}): PipelineDeps {
  return {
    db: createDb(env.DB),
    now: Date.now,
    random: () => 0.5,
    publishScored: async () => {},
    publishOutreach: async () => {},
    notify: async () => {},
    fetch: async () => new Response(null, { status: 204 }),
    encryptionKey: env.ENCRYPTION_KEY!,
    allowLoopback: true,
    backoffScale: 1,
    ...over,
  };
}

async function rawLead(t: Tenant) {
  // Paused experiment so the background consumers leave the lead where the test puts it.
  const lead = hotLead();
  await postLeads(t, [lead]);
  return (await waitFor(
    () => leadByExternal(t, lead.externalId),
    (l) => l !== undefined,
  ))!;
}

describe("pipeline stages", () => {
  it("leads.raw retries with backoff when a dependency fails, and scores once when it recovers", async () => {
    const t = await newTenant();
    const lead = await rawLead(t);
    await env.DB.prepare("UPDATE leads SET status = 'raw', score = NULL WHERE id = ?").bind(lead.id).run();
    const body = { topic: "leads.raw", orgId: t.orgId, leadId: lead.id };
    const failing = [message(body, 3)];
    await consumeRaw(failing, deps({ publishScored: async () => Promise.reject(new Error("queue down")) }));
    expect(failing[0]!.acked).toBe(false);
    expect(failing[0]!.retried).toEqual({ delaySeconds: 6 }); // 2·2^(3-1)=8, equal jitter at 0.5 → 6
    // The score was written before the publish failed; the retry forwards without scoring again.
    const published: unknown[] = [];
    const ok = [message(body, 4)];
    await consumeRaw(ok, deps({ publishScored: async (m) => void published.push(...m) }));
    expect(ok[0]!.acked).toBe(true);
    expect(published).toEqual([{ topic: "leads.scored", orgId: t.orgId, leadId: lead.id }]);
    const scoredEvents = await rows(
      "SELECT type FROM lead_events WHERE lead_id = ? AND type = 'scored'",
      lead.id,
    );
    expect(scoredEvents.length).toBeGreaterThanOrEqual(1);
    // Malformed bodies are dropped (acked), never retried into the DLQ.
    const junk = [message({ topic: "leads.raw" })];
    await consumeRaw(junk, deps());
    expect(junk[0]!.acked).toBe(true);
  });

  it("pipeline-dlq marks a dead lead and a dead engagement event", async () => {
    const t = await newTenant();
    const lead = await rawLead(t);
    const batch = createMessageBatch("pipeline-dlq", [
      {
        id: "m1",
        timestamp: new Date(),
        attempts: 1,
        body: { topic: "leads.scored", orgId: t.orgId, leadId: lead.id },
      },
      {
        id: "m2",
        timestamp: new Date(),
        attempts: 1,
        body: {
          topic: "outreach.events",
          kind: "event",
          orgId: t.orgId,
          receivedAt: Date.now(),
          event: { id: "dead-1", leadExternalId: lead.externalId, type: "opened" },
        },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<unknown>, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
    const detail = await getLead(t, lead.id);
    expect(detail.deadAt).not.toBeNull();
    expect(detail.events.find((e) => e.type === "dead_lettered")?.data).toEqual({ topic: "leads.scored" });
    expect(
      await rows("SELECT outcome FROM outreach_events WHERE org_id = ? AND id = 'dead-1'", t.orgId),
    ).toEqual([{ outcome: "dead" }]);
  });

  it("delivers outreach.send signed with the endpoint's secret, and retries a refused delivery", async () => {
    const t = await newTenant();
    const endpoint = (await (
      await api("/v1/webhook-endpoints", {
        method: "POST",
        token: t.apiKey,
        json: { url: "https://crm.example.com/outreach", eventTypes: ["outreach.*"] },
      })
    ).json()) as { id: string; secret: string };
    await createExperiment(t);
    const lead = hotLead();
    await postLeads(t, [lead]);
    const contacted = await waitFor(
      () => leadByExternal(t, lead.externalId),
      (l) => l?.status === "contacted",
    );
    const detail = await getLead(t, contacted!.id);
    expect(detail.events.find((e) => e.type === "contacted")?.data).toMatchObject({ mode: "deliver" });

    const requests: Request[] = [];
    const send = { topic: "outreach.events", kind: "send", orgId: t.orgId, leadId: contacted!.id };
    const refused = [message(send, 1)];
    await consumeOutreach(refused, deps({ fetch: async () => new Response("no", { status: 500 }) }));
    expect(refused[0]!.retried?.delaySeconds).toBe(2); // round(2 · 0.75)
    const ok = [message(send, 2)];
    await consumeOutreach(
      ok,
      deps({
        fetch: async (input, init) => {
          requests.push(new Request(input, init));
          return new Response(null, { status: 204 });
        },
      }),
    );
    expect(ok[0]!.acked).toBe(true);
    const req = requests[0]!;
    expect(req.url).toBe("https://crm.example.com/outreach");
    const body = await req.text();
    const id = req.headers.get("webhook-id")!;
    const ts = req.headers.get("webhook-timestamp")!;
    const key = Buffer.from(endpoint.secret.replace(/^whsec_/, ""), "base64");
    const expected = `v1,${createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`;
    expect(req.headers.get("webhook-signature")).toBe(expected);
    expect(JSON.parse(body)).toMatchObject({
      type: "outreach.send",
      data: { leadId: contacted!.id, variantKey: contacted!.variantKey, email: lead.email },
    });
  });
});

describe("CRM webhook", () => {
  it("accepts Standard Webhooks signed leads into the same topic and refuses bad signatures", async () => {
    const t = await newTenant();
    const source = (await (
      await api("/v1/webhook-sources", {
        method: "POST",
        token: t.apiKey,
        json: { name: "crm", provider: "standard" },
      })
    ).json()) as { id: string; secret: string };
    const lead = hotLead();
    const body = JSON.stringify({ leads: [lead] });
    const ts = Math.floor(Date.now() / 1000);
    const key = Buffer.from(source.secret.replace(/^whsec_/, ""), "base64");
    const sign = (b: string) => `v1,${createHmac("sha256", key).update(`msg_1.${ts}.${b}`).digest("base64")}`;
    const post = (b: string, signature: string) =>
      api(`/v1/leads/hooks/${source.id}`, {
        method: "POST",
        body: b,
        headers: {
          "content-type": "application/json",
          "webhook-id": "msg_1",
          "webhook-timestamp": String(ts),
          "webhook-signature": signature,
        },
      });
    expect((await post(body, "v1,AAAA")).status).toBe(401);
    const ok = await post(body, sign(body));
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ accepted: 1, duplicates: 0 });
    await waitFor(
      () => leadByExternal(t, lead.externalId),
      (l) => l?.status === "scored",
    );
    const invalid = JSON.stringify({ leads: [{ externalId: "x" }] });
    expect((await post(invalid, sign(invalid))).status).toBe(400);
    expect((await post(body, sign(body).replace(source.id, ""))).status).toBe(202);
    const unknown = await api("/v1/leads/hooks/src_01jd0000000000000000000000", { method: "POST", body });
    expect(unknown.status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("documents the pipeline operations with their permissions and named components", async () => {
    const doc = (await (await api("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { "x-shifty-permissions"?: string[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.paths["/v1/leads"]?.post?.["x-shifty-permissions"]).toEqual(["leads:manage"]);
    expect(doc.paths["/v1/leads"]?.get?.["x-shifty-permissions"]).toEqual(["leads:read"]);
    expect(doc.paths["/v1/experiments/{experimentId}/pause"]?.post).toBeDefined();
    for (const name of [
      "Lead",
      "LeadDetail",
      "Experiment",
      "ExperimentVariant",
      "IngestLeads",
      "OutreachEvents",
    ]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
  });
});
