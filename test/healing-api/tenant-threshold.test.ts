import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL } from "../../shared/healing/default-model.ts";
import { newId } from "../../shared/ids.ts";
import { newTenant } from "../helpers.ts";
import { ambiguousSave as ambiguous, clearRename as rename } from "./heal-fixtures.ts";
import { postFeedback, postHeal } from "./heal-requests.ts";

type Answer = { healed: boolean; confidence: number; suggestion: unknown };

async function heal(token: string, body: unknown): Promise<Answer> {
  const res = await postHeal(token, body);
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

/**
 * Writes `count` judged attempts straight into D1 (as 150 reviews through the API would): the verdicts
 * the tenant threshold (shared/healing/tenant.ts) is learned from.
 */
async function judged(
  orgId: string,
  count: number,
  row: { healed: boolean; confidence: number; accepted: boolean; suggested: boolean },
) {
  const now = Date.now();
  const statements = Array.from({ length: count }, (_, i) =>
    env.DB.prepare(
      `INSERT INTO heal_attempts (id, org_id, form, input_hash, candidate_count, healed, confidence, strategy,
         result_index, alternatives, latency_ms, model_version, suggestion_index, suggestion_confidence,
         feedback_accepted, feedback_correct_index, feedback_at, created_at)
       VALUES (?, ?, 'candidates', 'h', 3, ?, ?, 'text', ?, '[]', 1, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      newId("hea", now - i),
      orgId,
      row.healed ? 1 : 0,
      row.confidence,
      row.healed ? 1 : null,
      DEFAULT_MODEL.version,
      row.suggested ? 1 : null,
      row.suggested ? row.confidence : null,
      row.accepted ? 1 : 0,
      row.suggested && row.accepted ? 1 : null,
      now - i,
      now - i,
    ),
  );
  await env.DB.batch(statements);
}

/** One verdict through the API: the threshold memo is per isolate and a verdict forgets it at once. */
async function oneVerdict(token: string, body: unknown, accepted: boolean) {
  const attempt = (await (await postHeal(token, body)).json()) as { attemptId: string };
  const res = await postFeedback(token, attempt.attemptId, { accepted });
  expect(res.status).toBe(200);
}

describe("per-tenant threshold in the heal decision", () => {
  it("a tenant whose suggestions at ≈0.6 were always approved heals such answers itself", async () => {
    const t = await newTenant();
    const before = await heal(t.apiKey, ambiguous);
    expect(before.healed).toBe(false);
    expect(before.confidence).toBeGreaterThan(0.5);
    expect(before.confidence).toBeLessThan(0.9);

    await judged(t.orgId, 150, { healed: false, confidence: 0.6, accepted: true, suggested: true });
    await oneVerdict(t.apiKey, rename, true);

    const after = await heal(t.apiKey, ambiguous);
    expect(after).toMatchObject({ healed: true, suggestion: null });
    expect(after.confidence).toBeCloseTo(before.confidence, 4);

    // Another tenant is untouched by these verdicts.
    const other = await newTenant();
    expect((await heal(other.apiKey, ambiguous)).healed).toBe(false);
  });

  it("a tenant whose confident heals were rejected gets a stricter threshold", async () => {
    const t = await newTenant();
    const before = await heal(t.apiKey, rename);
    expect(before.healed).toBe(true);
    expect(before.confidence).toBeLessThan(0.98);

    await judged(t.orgId, 150, { healed: true, confidence: 0.97, accepted: false, suggested: false });
    await oneVerdict(t.apiKey, ambiguous, false);

    const after = await heal(t.apiKey, rename);
    expect(after.healed).toBe(false);
    expect(after.suggestion).toMatchObject({ index: 1 });
  });

  it("with less feedback than the minimum, the shared threshold stays", async () => {
    const t = await newTenant();
    await judged(t.orgId, 10, { healed: false, confidence: 0.6, accepted: true, suggested: true });
    expect((await heal(t.apiKey, ambiguous)).healed).toBe(false);
  });

  it("verdicts on another model's answers do not move this model's threshold", async () => {
    const t = await newTenant();
    await judged(t.orgId, 150, { healed: false, confidence: 0.6, accepted: true, suggested: true });
    await env.DB.prepare("UPDATE heal_attempts SET model_version = 'retired-v1' WHERE org_id = ?")
      .bind(t.orgId)
      .run();
    expect((await heal(t.apiKey, ambiguous)).healed).toBe(false);
  });
});
