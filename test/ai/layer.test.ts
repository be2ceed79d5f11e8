import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { costMicros } from "../../shared/ai/pricing.ts";
import { maskSecretsInText } from "../../shared/ai/prompts.ts";
import { BREAKER_FAILURES, resetBreakers } from "../../shared/ai/resilience.ts";
import { type AiDeps, runAiTask } from "../../shared/ai/service.ts";
import { ConfigError, loadConfig } from "../../workers/env.ts";
import worker from "../../workers/index.ts";
import { api, newTenant, problem, type Tenant, uploadRun } from "../helpers.ts";
import { ANTHROPIC_HOST, fakeWorld, OPENAI_HOST } from "./fakes.ts";
import { db, junitReport, noSleep, putAiSettings, triageTask, usage } from "./helpers.ts";

function deps(world: ReturnType<typeof fakeWorld>): AiDeps {
  return { db: db(), llm: loadConfig(env).llm, fetch: world.fetch, now: Date.now, retry: noSleep };
}

/** Asks for the triage of the project's latest failed run (through the API, so budgets apply). */
const askTriage = (t: Tenant) =>
  api(`/v1/projects/${t.projectId}/ai/triage`, { method: "POST", token: t.apiKey, json: {} });

async function failedRun(t: Tenant) {
  return uploadRun(
    t,
    junitReport({
      pay: { file: "tests/checkout/pay.spec.ts", fail: true },
      ship: { file: "tests/checkout/ship.spec.ts", fail: true },
      home: { file: "tests/home.spec.ts" },
    }),
    { commit: "a".repeat(40), branch: "main" },
  );
}

beforeEach(() => resetBreakers());
afterEach(() => vi.restoreAllMocks());

describe("AI layer", () => {
  it("ledger sums match the fake provider's counters (OpenAI, then Anthropic as the fallback)", async () => {
    const t = await newTenant();
    const world = fakeWorld();
    for (let i = 0; i < 3; i++) await runAiTask(deps(world), triageTask(t, `run-${i}`));
    // OpenAI down for every retry of the next call: Anthropic answers it.
    world.failures[OPENAI_HOST] = [503, 503, 503];
    const fallback = await runAiTask(deps(world), triageTask(t, "run-outage"));
    expect(fallback.provider).toBe("anthropic");
    expect(world.counters.openai).toMatchObject({ calls: 3, failures: 3 });
    expect(world.counters.anthropic.calls).toBe(1);

    const used = await usage(t);
    const fake = world.total();
    expect(used.tokensIn).toBe(fake.tokensIn);
    expect(used.tokensOut).toBe(fake.tokensOut);
    const expectedMicros =
      costMicros("gpt-4o-mini", world.counters.openai.tokensIn / 3, world.counters.openai.tokensOut / 3) * 3 +
      costMicros(
        "claude-3-5-haiku-latest",
        world.counters.anthropic.tokensIn,
        world.counters.anthropic.tokensOut,
      );
    expect(Math.round(used.costUsd * 1e6)).toBe(expectedMicros);
    // One ledger row per provider call: 4 answered, 1 failed (after its retries).
    const ledger = (await (await api("/v1/ai/ledger", { token: t.apiKey })).json()) as {
      items: { outcome: string; provider: string; prompt: string; tokensIn: number }[];
    };
    expect(ledger.items.filter((e) => e.outcome === "ok")).toHaveLength(fake.calls);
    expect(ledger.items.filter((e) => e.outcome === "failed").map((e) => e.provider)).toEqual(["openai"]);
    expect(ledger.items[0]?.prompt).toBe("failure_triage@1");
    // Another organisation sees none of it.
    expect((await usage(await newTenant())).tokensIn).toBe(0);
  });

  it("budgets refuse a call over budget with 402 budget-exceeded before any provider call", async () => {
    const t = await newTenant();
    await failedRun(t);
    const world = fakeWorld();
    vi.spyOn(globalThis, "fetch").mockImplementation(world.fetch);
    await putAiSettings(t, { monthlyTokenCap: 100 });
    const refused = await askTriage(t);
    expect(refused.status).toBe(402);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await problem(refused);
    expect(body.type).toBe("https://shifty.dev/problems/budget-exceeded");
    expect(body.detail).toMatch(/monthly AI token budget \(100\)/);
    expect(world.total().calls).toBe(0);

    // Raised budget: answered, charged to the ledger with the request id.
    await putAiSettings(t, { monthlyTokenCap: 100_000, monthlyCostCapUsd: 1 });
    const ok = await askTriage(t);
    expect(ok.status).toBe(200);
    const triage = (await ok.json()) as {
      summary: string;
      clusters: { explanation: string }[];
      costUsd: number;
    };
    expect(triage.summary).toBe(world.answer);
    expect(triage.clusters[0]?.explanation).toMatch(/waited longer than its limit/);
    expect(triage.costUsd).toBeGreaterThan(0);
    const [entry] = (
      (await (await api("/v1/ai/ledger", { token: t.apiKey })).json()) as { items: { requestId: string }[] }
    ).items;
    expect(entry?.requestId).toBe(ok.headers.get("x-request-id"));

    // A cost cap below what is already spent refuses too.
    await putAiSettings(t, { monthlyCostCapUsd: 0.000001 });
    const overCost = await askTriage(t);
    expect(overCost.status).toBe(402);
    expect((await problem(overCost)).detail).toMatch(/cost budget/);
  });

  it("answers 503 not-configured without a provider, and still triages on signatures with ai:false", async () => {
    const t = await newTenant();
    await failedRun(t);
    const bare = { ...env, OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" };
    const send = (json: unknown) =>
      worker.fetch(
        new Request(`http://shifty.test/v1/projects/${t.projectId}/ai/triage`, {
          method: "POST",
          headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(json),
        }),
        bare,
        createExecutionContext(),
      );
    const refused = await send({});
    expect(refused.status).toBe(503);
    const body = await problem(refused);
    expect(body.type).toBe("https://shifty.dev/problems/not-configured");
    expect(body.detail).toMatch(/AI is not configured/);
    const plain = await send({ ai: false });
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as { summary: null; clusters: unknown[] }).clusters).toHaveLength(1);
  });

  it("retries a provider with backoff, then its circuit breaker skips it for the cool-down", async () => {
    const t = await newTenant();
    const world = fakeWorld();
    const waits: number[] = [];
    const d = {
      ...deps(world),
      retry: { sleep: async (ms: number) => void waits.push(ms), random: () => 1 },
    };
    world.failures[OPENAI_HOST] = Array(3 * BREAKER_FAILURES).fill(500);
    for (let i = 0; i < BREAKER_FAILURES; i++) await runAiTask(d, triageTask(t, `b-${i}`));
    expect(waits.slice(0, 2)).toEqual([250, 500]);
    expect(world.counters.openai.failures).toBe(3 * BREAKER_FAILURES);
    const before = world.to(OPENAI_HOST).length;
    const answered = await runAiTask(d, triageTask(t, "after-open"));
    expect(answered.provider).toBe("anthropic");
    expect(world.to(OPENAI_HOST).length).toBe(before);
    expect(world.to(ANTHROPIC_HOST).length).toBe(BREAKER_FAILURES + 1);
    // A 400 is not retried.
    resetBreakers();
    world.failures[OPENAI_HOST] = [400];
    await runAiTask(d, triageTask(t, "bad-request"));
    expect(world.counters.openai.failures).toBe(3 * BREAKER_FAILURES + 1);
  });

  it("masks secrets out of prompts before they leave", async () => {
    const t = await newTenant();
    const world = fakeWorld();
    await runAiTask(
      deps(world),
      triageTask(t, "mask", {
        clusters: "auth failed token=ghp_abcdefghijklmnopqrstuvwx Bearer eyJhbGciOi.abcdefghij.klmnopqrstu",
      }),
    );
    const sent = JSON.stringify(world.seen.map((s) => s.body));
    expect(sent).not.toContain("ghp_abcdefghijklmnop");
    expect(sent).not.toContain("eyJhbGciOi");
    expect(maskSecretsInText("key sk-proj-abcdefghijklmnop1234 here")).toBe("key *** here");
  });

  it("validates the AI configuration at start-up", () => {
    expect(() => loadConfig({ ...env, OPENAI_BASE_URL: "not a url" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, AI_PRIMARY: "gemini" })).toThrow(/AI_PRIMARY/);
    expect(loadConfig({ ...env, AI_PRIMARY: "anthropic" }).llm.providers.map((p) => p.kind)).toEqual([
      "anthropic",
      "openai",
    ]);
    expect(loadConfig({ ...env, OPENAI_API_KEY: "", ANTHROPIC_API_KEY: " " }).llm.providers).toEqual([]);
  });
});
