import { describe, expect, it } from "vitest";
import type { Lead } from "../../shared/contract/pipeline.ts";
import { api, auditActions, newTenant, problem, rows } from "../helpers.ts";
import {
  createExperiment,
  getExperiment,
  getLead,
  hotLead,
  leadByExternal,
  postExperiment,
  postLeads,
  waitFor,
} from "./helpers.ts";

describe("POST /v1/leads", () => {
  it("accepts a batch, is idempotent on externalId per org, and runs leads through to contacted", async () => {
    const t = await newTenant();
    const experimentId = await createExperiment(t);
    const hot = hotLead();
    const cold = hotLead({ title: "Student", company: undefined, attributes: {}, email: "kid@gmail.com" });
    const first = await postLeads(t, [hot, cold, { ...hot, name: "Dup in same call" }]);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 2, duplicates: 1 });
    const again = await postLeads(t, [hot]);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 1 });

    const contacted = await waitFor(
      () => leadByExternal(t, hot.externalId),
      (l) => l?.status === "contacted",
    );
    expect(contacted).toMatchObject({ status: "contacted", persona: "qa_lead", score: 85, experimentId });
    expect(["a", "b"]).toContain(contacted?.variantKey);
    const scoredOnly = await waitFor(
      () => leadByExternal(t, cold.externalId),
      (l) => l?.status === "scored",
    );
    expect(scoredOnly).toMatchObject({ status: "scored", score: 0, persona: "other", variantKey: null });
    expect(scoredOnly?.reasons).toContain("free e-mail domain (-10)");

    const detail = await getLead(t, contacted!.id);
    expect(detail.events.map((e) => e.type)).toEqual(["scored", "contacted"]);
    expect(detail.events[1]?.data).toMatchObject({ mode: "record", variantKey: contacted?.variantKey });
    const experiment = await getExperiment(t, experimentId);
    expect(experiment.variants.reduce((s, v) => s + v.sends, 0)).toBe(1);

    // Another org's lead and experiment ids read as unknown.
    const other = await newTenant("Other");
    expect((await api(`/v1/leads/${contacted!.id}`, { token: other.apiKey })).status).toBe(404);
    expect((await api(`/v1/experiments/${experimentId}`, { token: other.apiKey })).status).toBe(404);
    expect(
      (await api(`/v1/leads/${contacted!.id}/suppress`, { method: "POST", token: other.apiKey })).status,
    ).toBe(404);
    const otherList = (await (await api("/v1/leads", { token: other.apiKey })).json()) as { items: Lead[] };
    expect(otherList.items).toEqual([]);
    // The same externalId is a new lead in another org.
    expect(await (await postLeads(other, [hot])).json()).toEqual({ accepted: 1, duplicates: 0 });
  });

  it("answers 4xx, never 5xx, to bad input", async () => {
    const t = await newTenant();
    const tooMany = Array.from({ length: 501 }, () => hotLead());
    expect((await postLeads(t, tooMany)).status).toBe(400);
    const bad = await problem(await postLeads(t, [{ externalId: "x", email: "not-an-email" }]));
    expect(bad.status).toBe(400);
    expect(bad.errors?.some((e) => e.path.includes("email"))).toBe(true);
    expect((await postLeads(t, [])).status).toBe(400);
    expect((await api("/v1/leads?status=nope", { token: t.apiKey })).status).toBe(400);
    expect((await api("/v1/leads?minScore=101", { token: t.apiKey })).status).toBe(400);
    expect((await api("/v1/leads/lead_nope", { token: t.apiKey })).status).toBe(400);
    expect((await api("/v1/leads/lead_01jd0000000000000000000000", { token: t.apiKey })).status).toBe(404);
    const noBody = await postExperiment(t, { name: "x", variants: [] });
    expect(noBody.status).toBe(400);
    const dupKeys = await postExperiment(t, {
      name: "x",
      variants: [
        { key: "a", subject: "s", body: "b" },
        { key: "a", subject: "s", body: "b" },
      ],
    });
    expect(dupKeys.status).toBe(400);
    expect(
      (
        await api("/v1/leads", {
          method: "POST",
          token: t.apiKey,
          body: "{",
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(400);
    expect((await api("/v1/leads")).status).toBe(401);
  });

  it("lists with filters and a cursor", async () => {
    const t = await newTenant();
    const leads = [hotLead(), hotLead(), hotLead({ title: "UX Designer", attributes: {} })];
    await postLeads(t, leads);
    await waitFor(
      () => rows("SELECT count(*) AS n FROM leads WHERE org_id = ? AND status = 'scored'", t.orgId),
      (r) => r[0]?.n === 3,
    );
    const page = (await (await api("/v1/leads?limit=2", { token: t.apiKey })).json()) as {
      items: Lead[];
      nextCursor: string | null;
    };
    expect(page.items).toHaveLength(2);
    const rest = (await (
      await api(`/v1/leads?limit=2&cursor=${page.nextCursor}`, { token: t.apiKey })
    ).json()) as {
      items: Lead[];
      nextCursor: string | null;
    };
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const designers = (await (await api("/v1/leads?persona=designer", { token: t.apiKey })).json()) as {
      items: Lead[];
    };
    expect(designers.items.map((l) => l.externalId)).toEqual([leads[2]!.externalId]);
    const high = (await (await api("/v1/leads?minScore=60&status=scored", { token: t.apiKey })).json()) as {
      items: Lead[];
    };
    expect(high.items).toHaveLength(2); // no experiment: scored leads stay scored
  });
});

describe("experiments", () => {
  it("creates, lists, pauses, resumes and stops; a paused experiment gets no sends", async () => {
    const t = await newTenant();
    const id = await createExperiment(t, { personas: ["developer"], perPersona: true });
    const fresh = await getExperiment(t, id);
    expect(fresh).toMatchObject({ status: "active", personas: ["developer"], perPersona: true });
    expect(fresh.variants.map((v) => [v.key, v.alpha, v.beta])).toEqual([
      ["a", 1, 1],
      ["b", 1, 1],
    ]);
    expect(fresh.variants[0]!.probabilityBest + fresh.variants[1]!.probabilityBest).toBeCloseTo(1, 2);
    const post = (action: string) =>
      api(`/v1/experiments/${id}/${action}`, { method: "POST", token: t.apiKey });
    const statusAfter = async (action: string) =>
      ((await (await post(action)).json()) as { status: string }).status;
    expect(await statusAfter("pause")).toBe("paused");
    expect((await post("pause")).status).toBe(409);
    const dev = hotLead({ title: "Senior Developer" });
    await postLeads(t, [dev]);
    const waiting = await waitFor(
      () => leadByExternal(t, dev.externalId),
      (l) => l?.status === "scored",
    );
    expect(waiting?.variantKey).toBeNull();
    expect(await statusAfter("resume")).toBe("active");
    expect(await statusAfter("stop")).toBe("stopped");
    expect((await post("resume")).status).toBe(409);
    const list = (await (await api("/v1/experiments", { token: t.apiKey })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((e) => e.id)).toEqual([id]);
    expect(await auditActions(t.orgId, "experiment.%")).toEqual([
      "experiment.create",
      "experiment.pause",
      "experiment.resume",
      "experiment.stop",
    ]);
  });

  it("lists by status, newest first: an active experiment behind newer stopped ones is found", async () => {
    const t = await newTenant();
    const active = await createExperiment(t, { name: "Still running" });
    const stopped: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await createExperiment(t, { name: `Ended ${i}` });
      await api(`/v1/experiments/${id}/stop`, { method: "POST", token: t.apiKey });
      stopped.unshift(id);
    }
    const ids = async (query: string) =>
      (
        (await (await api(`/v1/experiments${query}`, { token: t.apiKey })).json()) as {
          items: { id: string }[];
        }
      ).items.map((e) => e.id);
    expect(await ids("?limit=1")).toEqual([stopped[0]]);
    expect(await ids("?status=active&limit=1")).toEqual([active]);
    expect(await ids("?status=stopped")).toEqual(stopped);
    expect(await ids("?status=paused")).toEqual([]);
    const wrong = await api("/v1/experiments?status=running", { token: t.apiKey });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get("content-type")).toContain("application/problem+json");
    // Another tenant's newer active experiment stays its own.
    await createExperiment(await newTenant(), { name: "Theirs" });
    expect(await ids("?status=active")).toEqual([active]);
  });

  it("respects the org's threshold setting", async () => {
    const t = await newTenant();
    await createExperiment(t);
    const put = await api("/v1/pipeline/settings", {
      method: "PUT",
      token: t.apiKey,
      json: { threshold: 90 },
    });
    expect(await put.json()).toEqual({ threshold: 90 });
    expect(
      (await api("/v1/pipeline/settings", { method: "PUT", token: t.apiKey, json: { threshold: 101 } }))
        .status,
    ).toBe(400);
    const lead = hotLead();
    await postLeads(t, [lead]);
    const scored = await waitFor(
      () => leadByExternal(t, lead.externalId),
      (l) => l?.status === "scored",
    );
    expect(scored).toMatchObject({ status: "scored", score: 85 });
  });
});
