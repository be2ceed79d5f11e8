import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, newTenant, setPlan, type Tenant } from "../helpers.ts";
import { keyWith } from "../support/keys.ts";
import { postFeedback, postHeal } from "./heal-requests.ts";

/**
 * A tenant whose app renames placeholders and moves fields (i18n) but keeps `name`: the default model
 * heals to a decoy that still looks the part; feedback teaches the tenant's model to trust `name`.
 */
function example(i: number) {
  const target = {
    tag: "input",
    attributes: { name: `field_${i}`, class: "form-control", type: "text", placeholder: `Enter value ${i}` },
    rect: { x: 100, y: 100 + i * 10, width: 200, height: 30 },
  };
  const decoy = {
    tag: "input",
    attributes: { name: `other_${i}`, class: "form-control", type: "text", placeholder: `Enter value ${i}` },
    rect: { x: 100, y: 100 + i * 10, width: 200, height: 30 },
  };
  const right = {
    tag: "input",
    attributes: { name: `field_${i}`, class: "fc-x91", type: "text", placeholder: `Wert ${i} eingeben` },
    rect: { x: 400, y: 600 + i * 10, width: 180, height: 28 },
  };
  const noise = Array.from({ length: 6 }, (_, k) => ({
    tag: "input",
    attributes: { name: `n${k}_${i}`, class: "form-control", type: "text", placeholder: `Other ${k}` },
    rect: { x: 100, y: 300 + k * 40, width: 200, height: 30 },
  }));
  const candidates = i % 2 ? [decoy, right, ...noise] : [right, ...noise, decoy];
  return { target, candidates, correctIndex: i % 2 ? 1 : 0 };
}

type HealResult = { healed: boolean; index: number | null; attemptId: string };
type Version = {
  id: string;
  version: number;
  status: string;
  metrics: { candidate: { healedCorrectRate: number }; incumbent: { healedCorrectRate: number } };
};

/** Heals one example with the tenant's active model. */
async function healExample(t: Tenant, ex: ReturnType<typeof example>): Promise<HealResult> {
  const res = await postHeal(t.token, { target: ex.target, candidates: ex.candidates });
  return (await res.json()) as HealResult;
}

async function healAndCorrect(t: Tenant, from: number, to: number) {
  const results: HealResult[] = [];
  for (let i = from; i < to; i++) {
    const ex = example(i);
    const res = await healExample(t, ex);
    results.push(res);
    const right = res.healed && res.index === ex.correctIndex;
    const fb = right ? { accepted: true } : { accepted: false, correctIndex: ex.correctIndex };
    expect((await postFeedback(t.token, res.attemptId, fb)).status).toBe(200);
  }
  return results;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function versions(t: Tenant) {
  return ((await (await api("/v1/heal/models", { token: t.token })).json()) as { items: Version[] }).items;
}

describe("per-tenant retraining", () => {
  it("learns from feedback, promotes a better model automatically, and rolls back", async () => {
    const t = await newTenant();
    await setPlan(t.orgId, "enterprise");
    const before = await healAndCorrect(t, 0, 50);
    // The default model falls for the decoy.
    expect(
      before.filter((r) => r.healed && r.index === example(before.indexOf(r)).correctIndex).length,
    ).toBeLessThan(10);

    // 50 feedback rows trigger retraining in the background.
    const promoted = await waitFor(async () => (await versions(t)).find((v) => v.status === "active"));
    expect(promoted.version).toBe(1);
    expect(promoted.metrics.candidate.healedCorrectRate).toBeGreaterThan(
      promoted.metrics.incumbent.healedCorrectRate,
    );
    const run = await env.DB.prepare(
      "SELECT status, counts FROM job_runs WHERE org_id = ? AND job = 'heal-retrain'",
    )
      .bind(t.orgId)
      .first<{ status: string }>();
    expect(run?.status).toBe("succeeded");

    // New heals use the tenant's model and get it right.
    const ex = example(77);
    const after = await healExample(t, ex);
    expect(after).toMatchObject({ healed: true, index: ex.correctIndex });

    // Roll back to the default model: the decoy wins again.
    expect((await api("/v1/heal/models/default/activate", { method: "POST", token: t.token })).status).toBe(
      204,
    );
    const rolledBack = await healExample(t, ex);
    expect(rolledBack.index).not.toBe(ex.correctIndex);
    // …and forward again to version 1.
    expect(
      (await api(`/v1/heal/models/${promoted.id}/activate`, { method: "POST", token: t.token })).status,
    ).toBe(200);
    const again = await healExample(t, ex);
    expect(again.index).toBe(ex.correctIndex);

    // Another tenant neither sees nor can activate this model.
    const other = await newTenant();
    expect(await versions(other)).toHaveLength(0);
    expect(
      (await api(`/v1/heal/models/${promoted.id}/activate`, { method: "POST", token: other.token })).status,
    ).toBe(404);
  }, 120_000);

  it("rejects a model that does not beat the incumbent, and skips without enough feedback", async () => {
    const t = await newTenant();
    await setPlan(t.orgId, "enterprise");
    const few = await api("/v1/heal/models/retrain", { method: "POST", token: t.token });
    expect(await few.json()).toMatchObject({ status: "skipped" });

    // Feedback on heals the default model already gets right: nothing to gain.
    const easy = {
      target: { tag: "button", attributes: { "data-testid": "pay" }, text: "Pay now" },
      candidates: [
        { tag: "button", attributes: { "data-testid": "pay" }, text: "Pay now" },
        { tag: "a", attributes: { href: "/terms" }, text: "Terms" },
        { tag: "button", attributes: { "data-testid": "back" }, text: "Back" },
      ],
    };
    for (let i = 0; i < 24; i++) {
      const res = (await (await postHeal(t.token, easy)).json()) as HealResult;
      expect(res).toMatchObject({ healed: true, index: 0 });
      await postFeedback(t.token, res.attemptId, { accepted: true });
    }
    await waitFor(async () => {
      const listed = await env.ARTIFACTS.list({ prefix: `heal-examples/${t.orgId}/` });
      return listed.objects.length >= 24 ? true : undefined;
    });
    const res = await api("/v1/heal/models/retrain", { method: "POST", token: t.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "rejected", version: 1 });
    expect((await versions(t)).map((v) => v.status)).toEqual(["rejected"]);
    // Only members who manage models may retrain.
    const ro = await keyWith(t, ["heal:read", "heal:write"], "ro");
    expect((await api("/v1/heal/models/retrain", { method: "POST", token: ro })).status).toBe(403);
  }, 120_000);
});
