import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDb } from "../../shared/db/client.ts";
import { ArmCache, planContact, recordContacts } from "../../shared/pipeline/contact.ts";
import { consumeOutreach } from "../../shared/pipeline/outreach-stage.ts";
import { activeExperiments, leadsByIds, type Statement } from "../../shared/pipeline/repository.ts";
import { consumeRaw, consumeScored } from "../../shared/pipeline/stages.ts";
import worker from "../../workers/index.ts";
import { api, newTenant, rows, type Tenant } from "../helpers.ts";
import { createEndpoint, createSource } from "../webhooks/helpers.ts";
import {
  createExperiment,
  stageDeps as deps,
  getExperiment,
  getLead,
  hotLead,
  leadByExternal,
  message,
  postLeads,
  waitFor,
} from "./helpers.ts";

/** The stages' D1 client, recording the size of every `db.batch` it is given. */
function countingDb() {
  const db = createDb(env.DB);
  const batches: number[] = [];
  const proxy = new Proxy(db, {
    get(target, key, receiver) {
      if (key === "batch")
        return (statements: unknown[]) => {
          batches.push(statements.length);
          return target.batch(statements as unknown as Parameters<typeof target.batch>[0]);
        };
      return Reflect.get(target, key, receiver);
    },
  });
  return { db: proxy, batches };
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
    expect(published).toEqual([{ topic: "leads.scored", orgId: t.orgId, leadIds: [lead.id] }]);
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

  it("leads.raw scores a lead delivered twice (in one batch and again) once, in one D1 batch", async () => {
    const t = await newTenant();
    const lead = await rawLead(t);
    await waitFor(
      () => getLead(t, lead.id),
      (l) => l.status === "scored",
    ); // the real consumer is done with it
    await env.DB.prepare("UPDATE leads SET status = 'raw', score = NULL WHERE id = ?").bind(lead.id).run();
    await env.DB.prepare("DELETE FROM lead_events WHERE lead_id = ?").bind(lead.id).run();
    const body = { topic: "leads.raw", orgId: t.orgId, leadIds: [lead.id] };
    const counted = countingDb();
    const published: unknown[] = [];
    // The current shape (a list of ids) and the one-lead shape of messages sent before it.
    const twice = [message(body), message({ topic: "leads.raw", orgId: t.orgId, leadId: lead.id })];
    await consumeRaw(twice, deps({ db: counted.db, publishScored: async (m) => void published.push(...m) }));
    expect(twice.every((m) => m.acked)).toBe(true);
    expect(counted.batches).toEqual([2]); // timeline rows and scores: one batch of two statements
    await consumeRaw([message(body, 2)], deps({ db: counted.db }));
    expect(counted.batches).toEqual([2]); // already scored: nothing written again
    expect(published).toEqual([body].map((b) => ({ ...b, topic: "leads.scored" })));
    const events = await rows("SELECT type FROM lead_events WHERE lead_id = ?", lead.id);
    expect(events).toEqual([{ type: "scored" }]);
    expect((await getLead(t, lead.id)).score).toBe(85);
  });

  it("leads.scored contacts a whole batch in one D1 batch and counts each send once", async () => {
    const t = await newTenant();
    // Leads scored while no experiment exists stay scored; the stage is then driven by hand.
    const input = Array.from({ length: 30 }, () => hotLead());
    await postLeads(t, input);
    const ids = (
      await waitFor(
        () => rows("SELECT id FROM leads WHERE org_id = ? AND status = 'scored'", t.orgId),
        (r) => r.length === input.length,
      )
    ).map((r) => r.id as string);
    expect(ids).toHaveLength(input.length);
    const experimentId = await createExperiment(t);
    const bodies = [ids.slice(0, 20), ids.slice(20)].map((leadIds) => ({
      topic: "leads.scored",
      orgId: t.orgId,
      leadIds,
    }));
    const counted = countingDb();
    const again = { topic: "leads.scored", orgId: t.orgId, leadId: ids[0] }; // one lead delivered twice
    const batch = [...bodies, again].map((b) => message(b));
    await consumeScored(batch, deps({ db: counted.db, random: Math.random }));
    expect(batch.every((m) => m.acked)).toBe(true);
    // ensureArms for the one segment, then sends, timeline rows and moves: four statements for 30 leads.
    expect(counted.batches).toEqual([4]);
    await consumeScored(
      bodies.map((b) => message(b, 2)),
      deps({ db: counted.db }),
    );
    expect(counted.batches).toEqual([4]); // redelivered: every lead already contacted, nothing written

    const experiment = await getExperiment(t, experimentId);
    expect(experiment.variants.reduce((n, v) => n + v.sends, 0)).toBe(input.length);
    const statuses = await rows(
      "SELECT status, count(*) AS n FROM leads WHERE org_id = ? GROUP BY status",
      t.orgId,
    );
    expect(statuses).toEqual([{ status: "contacted", n: input.length }]);
    const contacted = await rows(
      "SELECT lead_id, count(*) AS n FROM lead_events WHERE org_id = ? AND type = 'contacted' GROUP BY lead_id",
      t.orgId,
    );
    expect(contacted).toHaveLength(input.length);
    expect(contacted.every((r) => r.n === 1)).toBe(true);
    const detail = await getLead(t, ids[0]!);
    expect(detail.events.find((e) => e.type === "contacted")?.data).toEqual({
      experimentId,
      variantKey: detail.variantKey,
      segment: "*",
      mode: "record",
    });
  });

  it("recorded contacts applied twice (a redelivery that read the leads before the first commit) count once", async () => {
    const t = await newTenant();
    const input = Array.from({ length: 5 }, () => hotLead());
    await postLeads(t, input);
    await waitFor(
      () => rows("SELECT id FROM leads WHERE org_id = ? AND status = 'scored'", t.orgId),
      (r) => r.length === input.length,
    );
    const experimentId = await createExperiment(t);
    const db = createDb(env.DB);
    const leadRows = await leadsByIds(
      db,
      t.orgId,
      (await rows("SELECT id FROM leads WHERE org_id = ?", t.orgId)).map((r) => r.id as string),
    );
    const [experiment] = await activeExperiments(db, t.orgId);
    const arms = new ArmCache(db);
    const plans = [];
    for (const lead of leadRows)
      plans.push({
        experiment: experiment!,
        plan: await planContact(lead, experiment!, arms, Math.random, 1, { mode: "record" }),
      });
    for (let i = 0; i < 2; i++) {
      const statements = recordContacts(db, t.orgId, plans, ["scored"], Date.now());
      await db.batch(statements as [Statement, ...Statement[]]);
    }
    const sends = (await getExperiment(t, experimentId)).variants.reduce((n, v) => n + v.sends, 0);
    expect(sends).toBe(input.length);
    const events = await rows(
      "SELECT count(*) AS n FROM lead_events WHERE org_id = ? AND type = 'contacted'",
      t.orgId,
    );
    expect(events).toEqual([{ n: input.length }]);
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
    const endpoint = await createEndpoint(t, {
      url: "https://crm.example.com/outreach",
      eventTypes: ["outreach.*"],
    });
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
    const source = await createSource(t, { name: "crm", provider: "standard" });
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
