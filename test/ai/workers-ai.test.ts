import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_WORKERS_AI_MODEL } from "../../shared/ai/config.ts";
import { costMicros } from "../../shared/ai/pricing.ts";
import { BREAKER_FAILURES, resetBreakers } from "../../shared/ai/resilience.ts";
import { type AiDeps, runAiTask } from "../../shared/ai/service.ts";
import { loadConfig } from "../../workers/env.ts";
import worker from "../../workers/index.ts";
import { api, newTenant, type Tenant, uploadRun } from "../helpers.ts";
import { fakeWorld, OPENAI_HOST } from "./fakes.ts";
import { db, junitReport, noSleep, putAiSettings, triageTask, usage } from "./helpers.ts";

/**
 * A fake Workers AI binding: `run(model, inputs)` checks the inputs the way the text-generation
 * models take them and answers `{ response, usage }` (or no usage, or a thrown AiError on demand).
 */
function fakeAi() {
  const calls: { model: string; inputs: Record<string, unknown> }[] = [];
  const errors: string[] = [];
  const state = { reportUsage: true, answer: "Workers AI says: retry the payment step." };
  const binding = {
    async run(model: string, inputs: Record<string, unknown>) {
      calls.push({ model, inputs });
      const error = errors.shift();
      if (error) throw new Error(error);
      const messages = inputs.messages as { role: string; content: string }[];
      expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
      expect(inputs.max_tokens).toBeGreaterThan(0);
      const prompt = messages.map((m) => m.content).join("");
      return state.reportUsage
        ? {
            response: state.answer,
            usage: { prompt_tokens: prompt.length, completion_tokens: 11, total_tokens: prompt.length + 11 },
          }
        : { response: state.answer };
    },
  };
  return { binding, calls, errors, state };
}

function deps(ai: ReturnType<typeof fakeAi>, world = fakeWorld()): AiDeps {
  const config = loadConfig({ ...env, AI: ai.binding as unknown as Ai, AI_PRIMARY: "workers-ai" });
  return {
    db: db(),
    llm: config.llm,
    fetch: world.fetch,
    now: Date.now,
    retry: noSleep,
    workersAi: ai.binding,
  };
}

type LedgerRow = { provider: string; model: string; tokensIn: number; tokensOut: number; outcome: string };
async function ledger(t: Tenant) {
  const res = await api("/v1/ai/ledger", { token: t.apiKey });
  return ((await res.json()) as { items: LedgerRow[] }).items;
}

beforeEach(() => resetBreakers());
afterEach(() => vi.restoreAllMocks());

describe("Workers AI provider (the AI binding)", () => {
  it("is configured by the binding, after the others unless AI_PRIMARY names it", () => {
    const ai = fakeAi().binding as unknown as Ai;
    expect(loadConfig(env).llm.providers.map((p) => p.kind)).toEqual(["openai", "anthropic"]);
    expect(loadConfig({ ...env, AI: ai }).llm.providers.map((p) => p.kind)).toEqual([
      "openai",
      "anthropic",
      "workers-ai",
    ]);
    const primary = loadConfig({ ...env, AI: ai, AI_PRIMARY: "workers-ai", WORKERS_AI_MODEL: "@cf/x/y" });
    expect(primary.llm.providers[0]).toEqual({ kind: "workers-ai", model: "@cf/x/y" });
    expect(loadConfig({ ...env, AI: ai }).llm.providers[2]).toEqual({
      kind: "workers-ai",
      model: DEFAULT_WORKERS_AI_MODEL,
    });
  });

  it("answers through run(model, inputs); tokens from usage, else estimated; costed in the ledger", async () => {
    const t = await newTenant();
    const ai = fakeAi();
    const answer = await runAiTask(deps(ai), triageTask(t, "wai-1"));
    expect(answer).toMatchObject({ provider: "workers-ai", model: DEFAULT_WORKERS_AI_MODEL });
    expect(answer.text).toBe(ai.state.answer);
    expect(ai.calls).toHaveLength(1);
    expect(ai.calls[0]?.model).toBe(DEFAULT_WORKERS_AI_MODEL);
    const prompt = (ai.calls[0]!.inputs.messages as { content: string }[]).map((m) => m.content).join("");
    // The fake reports one token per character: the ledger takes the reported figures.
    expect(answer.tokensIn).toBe(prompt.length);
    expect(answer.tokensOut).toBe(11);
    expect(answer.costMicros).toBe(costMicros(DEFAULT_WORKERS_AI_MODEL, prompt.length, 11));

    // Without usage in the answer: the 4-characters-a-token estimate, still costed.
    ai.state.reportUsage = false;
    const estimated = await runAiTask(deps(ai), triageTask(t, "wai-2"));
    const messages = ai.calls[1]!.inputs.messages as { content: string }[];
    const expectedIn = messages.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0);
    expect(estimated.tokensIn).toBe(expectedIn);
    expect(estimated.tokensOut).toBe(Math.ceil(ai.state.answer.length / 4));
    expect(estimated.costMicros).toBeGreaterThan(0);

    const rows = await ledger(t);
    expect(rows.map((r) => [r.provider, r.outcome])).toEqual([
      ["workers-ai", "ok"],
      ["workers-ai", "ok"],
    ]);
    const used = await usage(t);
    expect(used.tokensIn).toBe(prompt.length + expectedIn);
    expect(Math.round(used.costUsd * 1e6)).toBe(answer.costMicros + estimated.costMicros);
  });

  it("keeps budgets, retries, the breaker and the fallback unchanged", async () => {
    const t = await newTenant();
    const ai = fakeAi();
    const world = fakeWorld();
    // Over budget: refused before the binding is called.
    await putAiSettings(t, { monthlyTokenCap: 10 });
    await expect(runAiTask(deps(ai, world), triageTask(t, "over"))).rejects.toMatchObject({
      code: "budget_exceeded",
    });
    expect(ai.calls).toHaveLength(0);
    await putAiSettings(t, { monthlyTokenCap: null });

    // Capacity errors are retried; when every attempt fails the fallback (OpenAI) answers.
    ai.errors.push(...Array(3 * BREAKER_FAILURES).fill("AiError: 3040: Capacity temporarily exceeded"));
    const fellBack = await runAiTask(deps(ai, world), triageTask(t, "capacity"));
    expect(fellBack.provider).toBe("openai");
    expect(ai.calls).toHaveLength(3);
    for (let i = 1; i < BREAKER_FAILURES; i++) await runAiTask(deps(ai, world), triageTask(t, `cap-${i}`));
    expect(ai.calls).toHaveLength(3 * BREAKER_FAILURES);
    // The breaker is open: the binding is skipped, OpenAI answers straight away.
    await runAiTask(deps(ai, world), triageTask(t, "skipped"));
    expect(ai.calls).toHaveLength(3 * BREAKER_FAILURES);
    expect(world.counters.openai.calls).toBe(BREAKER_FAILURES + 1);

    // A request error (no such model) is not retried.
    resetBreakers();
    ai.errors.push("AiError: 5007: No such model @cf/x/y");
    const before = ai.calls.length;
    await runAiTask(deps(ai, world), triageTask(t, "bad-model"));
    expect(ai.calls.length - before).toBe(1);
    const failed = (await ledger(t)).filter((r) => r.outcome === "failed");
    expect(failed.every((r) => r.provider === "workers-ai" && r.tokensIn === 0)).toBe(true);
    expect(failed).toHaveLength(BREAKER_FAILURES + 1);
    expect(world.to(OPENAI_HOST)).toHaveLength(BREAKER_FAILURES + 2);
  });

  it("serves the triage endpoint through the Worker's AI binding", async () => {
    const t = await newTenant();
    await uploadRun(t, junitReport({ pay: { file: "tests/pay.spec.ts", fail: true } }));
    const ai = fakeAi();
    const withAi = { ...env, AI: ai.binding as unknown as Ai, AI_PRIMARY: "workers-ai" };
    const res = await worker.fetch(
      new Request(`http://shifty.test/v1/projects/${t.projectId}/ai/triage`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
        body: "{}",
      }),
      withAi,
      createExecutionContext(),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { summary: string }).summary).toBe(ai.state.answer);
    expect(ai.calls).toHaveLength(1);
    expect((await ledger(t))[0]).toMatchObject({ provider: "workers-ai", outcome: "ok" });
  });
});
