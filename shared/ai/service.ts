import type { AiTaskName } from "../contract/ai.ts";
import type { Db } from "../db/client.ts";
import { aiLedger } from "../db/schema/ai.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { LlmConfig, ProviderConfig } from "./config.ts";
import { type AiSettingsRow, assertWithinBudget, loadAiSettings, monthUsage } from "./ledger.ts";
import { costMicros, worstCaseMicros } from "./pricing.ts";
import { maskSecretsInText, PROMPTS, pickVersion } from "./prompts.ts";
import { chatClient, ProviderError } from "./providers.ts";
import { breakerOpen, type RetryOptions, recordOutcome, withRetry } from "./resilience.ts";
import { estimateTokens, type WorkersAiBinding, workersAiClient } from "./workers-ai.ts";

/** The `ai` rate-limit policy's verdict for one call (the RateLimiter object decides it). */
export type AiRateVerdict = { allowed: boolean; retryAfterSeconds: number };

/** What the AI layer needs: the ledger's database, the configured providers and the network. */
export type AiDeps = {
  db: Db;
  llm: LlmConfig;
  fetch: typeof fetch;
  now: () => number;
  retry?: RetryOptions;
  /** The `AI` binding when Workers AI is configured. */
  workersAi?: WorkersAiBinding | null;
  /**
   * Takes one token from the org's `ai` bucket. Workflows pass it (an HTTP route is charged by its
   * route properties instead): a call the bucket refuses is not made.
   */
  spendAiToken?: (orgId: string) => Promise<AiRateVerdict>;
};

export type AiCall = {
  orgId: string;
  workflow: AiTaskName;
  /** What the call is about (the traffic split of prompt versions is stable per subject). */
  subject: string;
  vars: Record<string, string>;
  requestId?: string | null;
  /** The org's AI settings when the caller already read them (null: none stored); read here otherwise. */
  settings?: AiSettingsRow | null;
};

export type AiAnswer = {
  text: string;
  provider: string;
  model: string;
  prompt: string;
  tokensIn: number;
  tokensOut: number;
  costMicros: number;
};

export const AI_NOT_CONFIGURED =
  "AI is not configured on this deployment: set OPENAI_API_KEY or ANTHROPIC_API_KEY, or bind AI (docs/ai.md)";

export const aiConfigured = (llm: LlmConfig) => llm.providers.length > 0;

/**
 * One AI task: budget check, then the providers in order (a provider whose breaker is open is
 * skipped, each gets retries with backoff), one ledger row per provider call. Throws 503
 * `not_configured` without providers, 402 `budget_exceeded` over budget, 503 `unavailable` when every
 * provider failed.
 */
export async function runAiTask(deps: AiDeps, call: AiCall): Promise<AiAnswer> {
  if (!aiConfigured(deps.llm)) throw new ApiError("not_configured", AI_NOT_CONFIGURED);
  const template = PROMPTS[call.workflow];
  const version = pickVersion(template, call.subject);
  const system = maskSecretsInText(version.system);
  const user = maskSecretsInText(version.user(call.vars));
  const settings = call.settings !== undefined ? call.settings : await loadAiSettings(deps.db, call.orgId);
  const tierModel = settings?.models[template.tier];
  const modelFor = (p: ProviderConfig, i: number) => (i === 0 && tierModel ? tierModel : p.model);
  const now = deps.now();
  const inEstimate = estimateTokens(system) + estimateTokens(user);
  assertWithinBudget(
    {
      monthlyTokenCap: settings?.monthlyTokenCap ?? null,
      monthlyCostCapMicros: settings?.monthlyCostCapMicros ?? null,
    },
    await monthUsage(deps.db, call.orgId, now),
    {
      tokens: inEstimate + template.maxTokens,
      costMicros: Math.max(
        ...deps.llm.providers.map((p, i) => worstCaseMicros(modelFor(p, i), inEstimate, template.maxTokens)),
      ),
    },
    now,
  );
  const prompt = `${template.id}@${version.version}`;
  const failures: string[] = [];
  for (const [i, provider] of deps.llm.providers.entries()) {
    const key = provider.kind === "workers-ai" ? provider.kind : `${provider.kind}:${provider.baseUrl}`;
    if (breakerOpen(key, deps.now())) {
      failures.push(`${provider.kind}: circuit open`);
      continue;
    }
    const model = modelFor(provider, i);
    const client =
      provider.kind === "workers-ai" ? workersAiClient(deps.workersAi) : chatClient(provider, deps.fetch);
    const started = deps.now();
    try {
      const result = await withRetry(
        () => client.chat({ model, system, user, maxTokens: template.maxTokens }),
        deps.retry,
      );
      recordOutcome(key, true, deps.now());
      const cost = costMicros(model, result.tokensIn, result.tokensOut);
      await deps.db.insert(aiLedger).values({
        ...ledgerBase(call, prompt, provider.kind, model, started, deps.now()),
        tokensIn: result.tokensIn,
        tokensOut: result.tokensOut,
        costMicros: cost,
        outcome: "ok",
      });
      return { ...result, model, provider: provider.kind, prompt, costMicros: cost };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      recordOutcome(key, false, deps.now());
      // A provider may echo what it was sent (a key, a token): masked before it is stored or logged.
      failures.push(maskSecretsInText(error.message));
      await deps.db.insert(aiLedger).values({
        ...ledgerBase(call, prompt, provider.kind, model, started, deps.now()),
        tokensIn: 0,
        tokensOut: 0,
        costMicros: 0,
        outcome: "failed",
        error: maskSecretsInText(error.message),
      });
    }
  }
  throw new ApiError("unavailable", `Every AI provider failed: ${failures.join("; ")}`.slice(0, 1000));
}

function ledgerBase(
  call: AiCall,
  prompt: string,
  provider: string,
  model: string,
  started: number,
  ended: number,
) {
  return {
    id: newId("ail", started),
    orgId: call.orgId,
    workflow: call.workflow,
    task: call.subject.slice(0, 300),
    prompt,
    provider,
    model,
    latencyMs: Math.max(0, ended - started),
    requestId: call.requestId ?? null,
    createdAt: started,
  };
}

/**
 * For workflows: the AI part is optional. Returns the answer, or why there is none (not configured,
 * the `ai` rate limit, over budget, providers down): the workflow then posts its deterministic result
 * with that note.
 */
export async function tryAiTask(
  deps: AiDeps,
  call: AiCall,
): Promise<{ answer: AiAnswer | null; note: string | null }> {
  if (!aiConfigured(deps.llm)) return { answer: null, note: "AI not configured" };
  if (deps.spendAiToken) {
    const verdict = await deps.spendAiToken(call.orgId);
    if (!verdict.allowed)
      return {
        answer: null,
        note: `AI rate limit reached (policy "ai"; a token again in ${verdict.retryAfterSeconds} s)`,
      };
  }
  try {
    return { answer: await runAiTask(deps, call), note: null };
  } catch (error) {
    if (error instanceof ApiError) return { answer: null, note: error.message };
    throw error;
  }
}
