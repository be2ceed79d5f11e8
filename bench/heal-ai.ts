/**
 * The healing AI tie-breaker on the real sites (docs/heal-model.md, "What a tie-breaker could
 * reach"; docs/ai.md, "Healing tie-breaker"). Leave-one-site-out as in `npm run bench:heal`: each
 * held-out case is healed by its fold's model alone and with the tie-breaker, which asks the
 * provider only when the engine would abstain, with the production prompt (`heal_tiebreak`).
 *
 * Needs a provider, configured as the Worker reads it (shared/ai/config.ts): OPENAI_API_KEY (+
 * OPENAI_BASE_URL, OPENAI_MODEL) or ANTHROPIC_API_KEY (+ ANTHROPIC_BASE_URL, ANTHROPIC_MODEL).
 * Without one it says so and stops. Run: npm run bench:heal-ai [-- Site,Site]
 */
import { type HttpProviderConfig, llmConfigInput, llmConfigSchema } from "../shared/ai/config.ts";
import { PROMPTS, pickVersion } from "../shared/ai/prompts.ts";
import { chatClient } from "../shared/ai/providers.ts";
import { parseRerankReply, rerankPromptVars } from "../shared/healing/ai-reranker.ts";
import { healCandidates } from "../shared/healing/heal.ts";
import { createAiReranker, type RerankFunction } from "../shared/healing/strategies/ai.ts";
import { type HealOutcome, metricsOf, regimePages } from "../shared/healing/training.ts";
import type { CandidatesHealResult } from "../shared/healing/types.ts";
import { corpus } from "./heal/corpus.ts";
import { FIT_OPTIONS } from "./heal/fit-options.ts";
import { pct } from "./heal/format.ts";
import { leaveOneSiteOut } from "./heal/loso.ts";
import { loadRealSites } from "./heal/real-sites.ts";
import { TRAIN_CASES } from "./heal/sizes.ts";

function configuredProvider(): HttpProviderConfig {
  const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);
  const llm = llmConfigSchema.parse(llmConfigInput({ ...process.env, AI: undefined }, blank));
  const found = llm.providers.find((p): p is HttpProviderConfig => p.kind !== "workers-ai");
  if (found) return found;
  console.log(
    "bench:heal-ai skipped: no AI provider configured (set OPENAI_API_KEY or ANTHROPIC_API_KEY, docs/ai.md)",
  );
  return process.exit(0);
}
const provider = configuredProvider();
const sites = loadRealSites();
if (!sites) throw new Error("real-site data not found beside the repository");
const only = process.argv[2]?.split(",").filter(Boolean);

const client = chatClient(provider, fetch);
const template = PROMPTS.heal_tiebreak;
const spent = { calls: 0, failed: 0, tokensIn: 0, tokensOut: 0 };
const rerank: RerankFunction = async (request) => {
  const version = pickVersion(template, JSON.stringify(request.target));
  try {
    const reply = await client.chat({
      model: provider.model,
      system: version.system,
      user: version.user(rerankPromptVars(request)),
      maxTokens: template.maxTokens,
    });
    spent.calls++;
    spent.tokensIn += reply.tokensIn;
    spent.tokensOut += reply.tokensOut;
    return parseRerankReply(reply.text);
  } catch (error) {
    spent.failed++;
    throw error;
  }
};
// A bench waits for the provider; production stops waiting at 5 s (docs/ai.md).
const ai = createAiReranker({ rerank, timeoutMs: 60_000, failureThreshold: 1_000 });

const examples = sites.flatMap((s) => s.cases);
const names = sites.flatMap((s) => s.cases.map(() => s.site));
const loso = leaveOneSiteOut(
  regimePages(corpus("train", TRAIN_CASES)),
  regimePages(examples),
  names,
  FIT_OPTIONS,
  only,
);

/** The engine's answer as the bench counts it: the top candidate, healed or only suggested. */
function outcomeOf(result: CandidatesHealResult, correctIndex: number | null): HealOutcome {
  return {
    correctIndex,
    index: result.healed ? result.index : (result.suggestion?.index ?? null),
    confidence: result.confidence,
    healed: result.healed,
  };
}

const line = (label: string, outcomes: HealOutcome[]) => {
  const m = metricsOf(outcomes);
  return `${label} top-1 ${pct(m.top1)} h&r ${pct(m.healedCorrectRate)} wrong ${pct(m.wrongHealRate)} ECE ${m.ece.toFixed(3)}`;
};
const all = { alone: [] as HealOutcome[], ai: [] as HealOutcome[] };
for (const { site, cases } of sites) {
  const fold = loso.get(site);
  if (!fold) continue;
  const withAi: HealOutcome[] = [];
  for (const example of cases) {
    const input = { target: example.target, candidates: example.candidates };
    withAi.push(outcomeOf(await healCandidates(input, { model: fold.model, ai }), example.correctIndex));
  }
  all.alone.push(...fold.outcomes);
  all.ai.push(...withAi);
  console.log(
    `${site.padEnd(16)} ${String(cases.length).padEnd(4)} ${line("alone", fold.outcomes)} | ${line("AI", withAi)}`,
  );
}
console.log(`overall ${all.alone.length}: ${line("alone", all.alone)} | ${line("AI", all.ai)}`);
console.log(
  `${provider.kind} ${provider.model}: ${spent.calls} calls (${spent.failed} failed), ${spent.tokensIn} tokens in, ${spent.tokensOut} out`,
);
