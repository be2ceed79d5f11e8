/**
 * The healing tie-breaker's model call (docs/ai.md, "Healing tie-breaker"). A heal the engine is
 * unsure of asks the organisation's configured provider to score its shortlist, through runAiTask,
 * so the org's opt-in, budget, `ai` rate limit, provider fallback and ledger apply as for any
 * workflow. The engine decides when to ask (shared/healing/heal.ts) and how far an answer moves it
 * (shared/healing/strategies/ai.ts).
 */
import { parseRerankReply, rerankPromptVars } from "../healing/ai-reranker.ts";
import { collapse } from "../healing/dom-nodes.ts";
import type { RerankFunction, RerankRequest } from "../healing/strategies/ai.ts";
import { loadAiSettings } from "./ledger.ts";
import { type AiDeps, tryAiTask } from "./service.ts";

export type TiebreakCall = {
  orgId: string;
  requestId?: string | null;
  /**
   * Keeps a call alive past the response (a Worker's `waitUntil`): the reranker stops waiting at
   * its timeout, but the provider's answer still gets its ledger row.
   */
  defer?: (work: Promise<unknown>) => void;
};

/** Scores nothing (an empty answer) unless the organisation opted in and a provider answered. */
export function healTiebreakRerank(deps: AiDeps, call: TiebreakCall): RerankFunction {
  return (request) => {
    const task = ask(deps, call, request);
    call.defer?.(task.catch(() => undefined));
    return task;
  };
}

async function ask(
  deps: AiDeps,
  call: TiebreakCall,
  request: RerankRequest,
): Promise<Record<number, number>> {
  const settings = await loadAiSettings(deps.db, call.orgId);
  if (!settings?.healTiebreak) return {};
  // No provider, no `ai` token, over budget or every provider down: no scores, the engine's answer.
  const { answer } = await tryAiTask(deps, {
    orgId: call.orgId,
    workflow: "heal_tiebreak",
    subject: subjectOf(request),
    vars: rerankPromptVars(request),
    requestId: call.requestId ?? null,
    settings,
  });
  return answer ? parseRerankReply(answer.text) : {};
}

/** The ledger's task: which element was healed, short (the traffic split of prompt versions keys on it). */
function subjectOf({ target }: RerankRequest): string {
  const id = target.attributes?.id ? `#${target.attributes.id}` : "";
  const text = target.text ? ` "${collapse(target.text).slice(0, 60)}"` : "";
  return `heal ${target.tag}${id}${text}`;
}
