/**
 * What the healing tie-breaker sends to a model and how its reply is read. The call itself goes
 * through the AI layer (budget, rate limit, providers, ledger: docs/ai.md), which the Worker plugs
 * into createAiReranker. The engine is complete without it.
 */
import type { RerankRequest } from "./strategies/ai.ts";
import type { ElementDescriptor } from "./types.ts";

function summarise(descriptor: ElementDescriptor): Record<string, unknown> {
  // Only what identifies an element; keeps prompts small and avoids sending whole pages.
  return {
    tag: descriptor.tag,
    attributes: descriptor.attributes,
    text: descriptor.text?.slice(0, 200),
    role: descriptor.role,
    accessibleName: descriptor.accessibleName,
    xpath: descriptor.xpath,
    neighborText: descriptor.neighborText,
  };
}

/** The prompt variables of the `heal_tiebreak` template: the old element and the shortlist, as JSON. */
export function rerankPromptVars(request: RerankRequest): { target: string; candidates: string } {
  return {
    target: JSON.stringify(summarise(request.target)),
    candidates: JSON.stringify(
      request.candidates.map((candidate) => ({ index: candidate.index, ...summarise(candidate.descriptor) })),
    ),
  };
}

/**
 * `{"scores": {"<index>": p}}`, possibly wrapped in prose or a code fence. Entries that are not an
 * integer index with a finite number are dropped; no JSON object at all throws.
 */
export function parseRerankReply(content: string): Record<number, number> {
  const json = content.slice(content.indexOf("{"), content.lastIndexOf("}") + 1);
  const parsed = JSON.parse(json) as { scores?: Record<string, unknown> };
  const scores: Record<number, number> = {};
  for (const [key, value] of Object.entries(parsed.scores ?? {})) {
    const index = Number(key);
    if (Number.isInteger(index) && typeof value === "number" && Number.isFinite(value)) scores[index] = value;
  }
  return scores;
}
