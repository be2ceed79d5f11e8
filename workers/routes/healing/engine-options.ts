import type { Context } from "hono";
import { healTiebreakRerank } from "../../../shared/ai/heal-tiebreak.ts";
import { aiConfigured } from "../../../shared/ai/service.ts";
import { type AiReranker, createAiReranker } from "../../../shared/healing/index.ts";
import { aiTokenSpender } from "../../ai-rate.ts";
import type { HonoEnv } from "../../hono-env.ts";

/**
 * The healing tie-breaker for one heal request (docs/ai.md): undefined without an AI provider.
 * Built per request, so one organisation's budget refusal never trips another's breaker; the
 * providers' own circuit breakers (shared/ai/resilience.ts) are per isolate. The organisation's
 * opt-in is read only if the engine asks, i.e. when it would abstain.
 */
export function healTiebreaker(c: Context<HonoEnv>, orgId: string): AiReranker | undefined {
  const services = c.get("services");
  const { config } = services;
  if (!aiConfigured(config.llm)) return undefined;
  const rerank = healTiebreakRerank(
    {
      db: services.db,
      llm: config.llm,
      fetch: (input, init) => fetch(input, init),
      now: services.clock,
      workersAi: services.workersAi,
      spendAiToken: aiTokenSpender(services),
    },
    { orgId, requestId: c.get("requestId"), defer: (work) => c.executionCtx.waitUntil(work) },
  );
  // A heal waits this long at most; the call goes on and is still written to the ledger.
  return createAiReranker({ rerank, timeoutMs: TIEBREAK_TIMEOUT_MS });
}

const TIEBREAK_TIMEOUT_MS = 5_000;
