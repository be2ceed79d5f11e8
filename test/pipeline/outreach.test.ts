import { describe, expect, it } from "vitest";
import type { Lead } from "../../shared/contract/pipeline.ts";
import { api, newTenant, rows, type Tenant } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";
import {
  createExperiment,
  getExperiment,
  getLead,
  hotLead,
  leadByExternal,
  postLeads,
  waitFor,
} from "./helpers.ts";

async function contactedLead(t: Tenant, over: Record<string, unknown> = {}): Promise<Lead> {
  const lead = hotLead(over);
  await postLeads(t, [lead]);
  const row = await waitFor(
    () => leadByExternal(t, lead.externalId),
    (l) => l?.status === "contacted",
  );
  if (row?.status !== "contacted") throw new Error(`lead not contacted: ${row?.status}`);
  return row;
}

const events = (t: Tenant, list: { id: string; leadExternalId: string; type: string }[]) =>
  api("/v1/outreach/events", { method: "POST", token: t.apiKey, json: { events: list } });

describe("POST /v1/outreach/events", () => {
  it("moves leads and updates the posterior exactly once per conversion", async () => {
    const t = await newTenant();
    const experimentId = await createExperiment(t);
    const lead = await contactedLead(t);
    const opened = await events(t, [{ id: "e1", leadExternalId: lead.externalId, type: "opened" }]);
    expect(opened.status).toBe(202);
    expect(await opened.json()).toEqual({ accepted: 1 });
    await waitFor(
      () => getLead(t, lead.id),
      (l) => l.status === "engaged",
    );
    // The same conversion twice in one call, again in a second call, and a second conversion id.
    const conversion = { id: "e2", leadExternalId: lead.externalId, type: "converted" };
    expect(await (await events(t, [conversion, conversion])).json()).toEqual({ accepted: 1 });
    await events(t, [conversion, { id: "e3", leadExternalId: lead.externalId, type: "converted" }]);
    const converted = await waitFor(
      () => getLead(t, lead.id),
      (l) => l.status === "converted" && l.events.filter((e) => e.type === "converted").length >= 1,
    );
    await waitFor(
      () => rows("SELECT count(*) AS n FROM outreach_events WHERE org_id = ?", t.orgId),
      (r) => r[0]?.n === 3,
    );
    expect(converted.status).toBe("converted");
    expect(converted.events.filter((e) => e.type === "converted")).toHaveLength(2); // e2 and e3 recorded
    const experiment = await getExperiment(t, experimentId);
    const variant = experiment.variants.find((v) => v.key === lead.variantKey)!;
    expect(variant).toMatchObject({ sends: 1, conversions: 1, alpha: 2, beta: 1 });
    expect(experiment.variants.reduce((s, v) => s + v.conversions, 0)).toBe(1);
  });

  it("suppresses on unsubscribe and records events for unknown leads without failing", async () => {
    const t = await newTenant();
    await createExperiment(t);
    const lead = await contactedLead(t);
    await events(t, [
      { id: "u1", leadExternalId: lead.externalId, type: "unsubscribed" },
      { id: "x1", leadExternalId: "nobody", type: "opened" },
    ]);
    await waitFor(
      () => getLead(t, lead.id),
      (l) => l.status === "suppressed",
    );
    const stored = await waitFor(
      () => rows("SELECT id, outcome FROM outreach_events WHERE org_id = ? ORDER BY id", t.orgId),
      (r) => r.length === 2,
    );
    expect(stored).toEqual([
      { id: "u1", outcome: "applied" },
      { id: "x1", outcome: "unknown_lead" },
    ]);
    const bad = await events(t, [{ id: "z", leadExternalId: lead.externalId, type: "clicked" }]);
    expect(bad.status).toBe(400);
  });
});

describe("overrides", () => {
  it("snooze, force and suppress are audited and tenant-scoped", async () => {
    const t = await newTenant();
    const lead = hotLead();
    await postLeads(t, [lead]);
    const scored = await waitFor(
      () => leadByExternal(t, lead.externalId),
      (l) => l?.status === "scored",
    );
    const id = scored!.id;
    const post = (path: string, json?: unknown) =>
      api(`/v1/leads/${id}/${path}`, {
        method: "POST",
        token: t.apiKey,
        ...(json === undefined ? {} : { json }),
      });

    // No experiment yet: forcing outreach has nothing to send.
    expect((await post("outreach", {})).status).toBe(409);
    expect((await post("snooze", { until: "2020-01-01T00:00:00Z" })).status).toBe(422);
    expect((await post("snooze", { until: "tomorrow" })).status).toBe(400);
    const until = Date.now() + 3_600_000;
    const snoozed = await post("snooze", { until: new Date(until).toISOString() });
    expect(snoozed.status).toBe(200);
    expect(((await snoozed.json()) as { card: { status: string } }).card.status).toBe("snoozed");
    expect((await getLead(t, id)).snoozedUntil).toBe(until);

    const experimentId = await createExperiment(t);
    expect((await post("outreach", { variantKey: "zzz" })).status).toBe(422);
    const forced = await post("outreach", { variantKey: "b" });
    expect(forced.status).toBe(200);
    expect(await forced.json()).toMatchObject({
      experimentId,
      variantKey: "b",
      card: { status: "contacted" },
    });
    expect((await post("outreach")).status).toBe(409); // already contacted
    expect((await getExperiment(t, experimentId)).variants.find((v) => v.key === "b")?.sends).toBe(1);

    expect((await post("suppress")).status).toBe(200);
    expect((await post("suppress")).status).toBe(409);
    const detail = await getLead(t, id);
    expect(detail.status).toBe("suppressed");
    expect(detail.events.map((e) => e.type)).toEqual(["scored", "snoozed", "contacted", "suppressed"]);
    const audit = await rows(
      "SELECT action, target_id FROM audit_log WHERE org_id = ? AND target_type = 'lead' ORDER BY seq",
      t.orgId,
    );
    expect(audit.map((r) => r.action)).toEqual(["lead.snooze", "lead.force_outreach", "lead.suppress"]);
  });

  it("needs leads:manage to override and leads:read to look", async () => {
    const t = await newTenant();
    const { key } = await mintKey(t.token, ["leads:read"], "reader");
    expect((await api("/v1/leads", { token: key })).status).toBe(200);
    expect(
      (await api("/v1/leads", { method: "POST", token: key, json: { leads: [hotLead()] } })).status,
    ).toBe(403);
    expect(
      (
        await api("/v1/outreach/events", {
          method: "POST",
          token: key,
          json: { events: [{ id: "a", leadExternalId: "b", type: "opened" }] },
        })
      ).status,
    ).toBe(403);
  });
});
