import { type AiReranker, createAiReranker, openAiCompatibleRerank } from "../../../shared/healing/index.ts";
import type { Config } from "../../env.ts";

let reranker: { key: string; value: AiReranker } | undefined;

/**
 * The optional AI re-ranker, built once per isolate so its circuit breaker remembers failures
 * across requests. Undefined unless AI_BASE_URL and AI_API_KEY are configured.
 */
export function aiReranker(config: Config): AiReranker | undefined {
  if (!config.ai) return undefined;
  const key = `${config.ai.baseUrl}|${config.ai.model}`;
  if (reranker?.key !== key) {
    reranker = { key, value: createAiReranker({ rerank: openAiCompatibleRerank(config.ai) }) };
  }
  return reranker.value;
}
