import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, auditActionOn, newTenant, problem } from "../helpers.ts";
import { abstainingRename } from "./heal-fixtures.ts";
import { postHeal } from "./heal-requests.ts";

type Attempt = {
  id: string;
  healed: boolean;
  suggestion: { index: number | null; selector: string | null; confidence: number } | null;
  feedback: { accepted: boolean; correctIndex: number | null; correctSelector: string | null } | null;
};

async function healAbstaining(token: string, projectId: string) {
  const res = await postHeal(token, { ...abstainingRename, projectId });
  const body = (await res.json()) as { healed: boolean; attemptId: string; suggestion: { index: number } };
  expect(body.healed).toBe(false);
  return body;
}

async function suggested(token: string, projectId: string): Promise<Attempt[]> {
  const res = await api(`/v1/heal/attempts?outcome=suggested&projectId=${projectId}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Attempt[] }).items;
}

describe("suggestions of abstaining heals: review queue", () => {
  it("lists an abstention with its suggestion; approving records positive feedback naming it", async () => {
    const t = await newTenant();
    const answer = await healAbstaining(t.apiKey, t.projectId);
    const queue = await suggested(t.apiKey, t.projectId);
    expect(queue.map((a) => a.id)).toEqual([answer.attemptId]);
    expect(queue[0]!.suggestion).toMatchObject({ index: answer.suggestion.index });
    expect(queue[0]!.suggestion!.confidence).toBeGreaterThan(0);

    const res = await api(`/v1/heal/attempts/${answer.attemptId}/suggestion/approve`, {
      method: "POST",
      token: t.apiKey,
    });
    expect(res.status).toBe(200);
    const approved = (await res.json()) as Attempt;
    expect(approved.feedback).toMatchObject({ accepted: true, correctIndex: answer.suggestion.index });
    expect(await suggested(t.apiKey, t.projectId)).toEqual([]);

    const row = await env.DB.prepare(
      "SELECT feedback_accepted, feedback_correct_index FROM heal_attempts WHERE id = ?",
    )
      .bind(answer.attemptId)
      .first<Record<string, unknown>>();
    expect(row).toEqual({ feedback_accepted: 1, feedback_correct_index: answer.suggestion.index });
    expect(await auditActionOn(t.orgId, answer.attemptId)).toBe("heal.suggestion.approve");
  });

  it("rejecting keeps the reviewer's correction; approving takes none", async () => {
    const t = await newTenant();
    const answer = await healAbstaining(t.apiKey, t.projectId);
    const url = `/v1/heal/attempts/${answer.attemptId}/suggestion`;
    const withCorrection = await api(`${url}/approve`, {
      method: "POST",
      token: t.apiKey,
      json: { correctSelector: "#x" },
    });
    expect(withCorrection.status).toBe(422);
    const res = await api(`${url}/reject`, {
      method: "POST",
      token: t.apiKey,
      json: { correctSelector: "[data-testid=draft]" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Attempt).feedback).toMatchObject({
      accepted: false,
      correctIndex: null,
      correctSelector: "[data-testid=draft]",
    });
  });

  it("a healed attempt has nothing to review (409); another org's attempt is a 404", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const healed = (await (
      await postHeal(a.apiKey, {
        target: { tag: "button", attributes: { "data-testid": "pay" }, text: "Pay now" },
        candidates: [{ tag: "button", attributes: { "data-testid": "pay" }, text: "Pay now" }],
      })
    ).json()) as { healed: boolean; attemptId: string };
    expect(healed.healed).toBe(true);
    const conflict = await api(`/v1/heal/attempts/${healed.attemptId}/suggestion/approve`, {
      method: "POST",
      token: a.apiKey,
    });
    expect(conflict.status).toBe(409);
    expect((await problem(conflict)).detail).toContain("no suggestion");

    const mine = await healAbstaining(a.apiKey, a.projectId);
    const foreign = await api(`/v1/heal/attempts/${mine.attemptId}/suggestion/approve`, {
      method: "POST",
      token: b.apiKey,
    });
    expect(foreign.status).toBe(404);
    expect(await suggested(b.apiKey, b.projectId)).toEqual([]);
  });
});
