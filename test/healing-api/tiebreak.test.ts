import { describe, expect, it } from "vitest";
import type { AiLedgerEntry } from "../../shared/contract/ai.ts";
import { installFakeWorld, OPENAI_HOST } from "../ai/fakes.ts";
import { putAiSettings } from "../ai/helpers.ts";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { postHeal } from "./heal-requests.ts";

// The healing tie-breaker (docs/ai.md): an abstaining heal of an organisation that opted in asks its
// AI provider, through the AI layer's budget, providers and ledger.

const world = installFakeWorld();

/** Two look-alikes: alone, the engine abstains and suggests "Save now" (index 1). */
const ambiguous = {
  target: { tag: "button", text: "Save" },
  candidates: [
    { tag: "button", text: "Save draft" },
    { tag: "button", text: "Save now" },
  ],
};

type Heal = { healed: boolean; index: number | null; suggestion: { index: number } | null };
const answerOf = (heal: Heal) => heal.index ?? heal.suggestion?.index;

/** The fake provider prefers "Save draft" whenever it is asked to break a healing tie. */
function preferDraft() {
  world().replies.push((system) =>
    system.includes("match a UI element") ? '{"scores": {"0": 0.98, "1": 0.02}}' : undefined,
  );
}

async function ledger(t: Tenant): Promise<AiLedgerEntry[]> {
  const res = await api("/v1/ai/ledger", { token: t.apiKey });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: AiLedgerEntry[] }).items;
}

describe("healing tie-breaker", () => {
  it("an opted-in org's abstaining heal asks the model, which moves the answer, and is charged to the ledger", async () => {
    const t = await newTenant();
    await putAiSettings(t, { healTiebreak: true });
    preferDraft();
    const res = await postHeal(t.apiKey, ambiguous);
    expect(res.status).toBe(200);
    expect(answerOf((await res.json()) as Heal)).toBe(0);
    const [call] = world().to(OPENAI_HOST);
    const messages = (call!.body as { messages: { content: string }[] }).messages;
    expect(messages[1]!.content).toContain('"text":"Save draft"');
    const [entry] = await ledger(t);
    expect(entry).toMatchObject({ workflow: "heal_tiebreak", outcome: "ok", prompt: "heal_tiebreak@1" });
    expect(entry!.requestId).toBe(res.headers.get("x-request-id"));
    expect(entry!.task).toBe('heal button "Save"');
  });

  it("a confident heal, or an org that did not opt in, never calls a provider", async () => {
    const t = await newTenant();
    await putAiSettings(t, { healTiebreak: true });
    const sure = await postHeal(t.apiKey, {
      target: { tag: "button", text: "Save", attributes: { id: "save" } },
      candidates: [
        { tag: "a", text: "Help" },
        { tag: "button", text: "Save", attributes: { id: "save" } },
      ],
    });
    expect(((await sure.json()) as Heal).index).toBe(1);

    const other = await newTenant();
    preferDraft();
    const alone = (await (await postHeal(other.apiKey, ambiguous)).json()) as Heal;
    expect(alone.healed).toBe(false);
    expect(answerOf(alone)).toBe(1);
    expect(world().to(OPENAI_HOST)).toHaveLength(0);
    expect(await ledger(other)).toHaveLength(0);
    const settings = (await (await api("/v1/ai/settings", { token: other.apiKey })).json()) as {
      healTiebreak: boolean;
    };
    expect(settings.healTiebreak).toBe(false);
  });

  it("over budget or with every provider down, the heal still answers with the engine's own answer", async () => {
    const t = await newTenant();
    await putAiSettings(t, { healTiebreak: true, monthlyTokenCap: 0 });
    preferDraft();
    const broke = await postHeal(t.apiKey, ambiguous);
    expect(broke.status).toBe(200);
    expect(answerOf((await broke.json()) as Heal)).toBe(1);
    expect(world().to(OPENAI_HOST)).toHaveLength(0);

    await putAiSettings(t, { healTiebreak: true });
    world().failures[OPENAI_HOST] = [503, 503, 503];
    world().failures["anthropic.fake.test"] = [503, 503, 503];
    const down = await postHeal(t.apiKey, ambiguous);
    expect(down.status).toBe(200);
    expect(answerOf((await down.json()) as Heal)).toBe(1);
    expect((await ledger(t)).map((e) => e.outcome)).toEqual(["failed", "failed"]);
  });
});
