/**
 * Selector healing engine (docs/heal-api.md): pure TypeScript, runs in workerd and Node.
 *
 * @example
 * const result = await healCandidates({ selector: "#save-3f9a2", target, candidates });
 * const fromHtml = await healDom({ selector: "#save", dom, previousDom });
 */
export { parseRerankReply, rerankPromptVars } from "./ai-reranker.ts";
export { targetFromSelector } from "./cold-start.ts";
export { DEFAULT_MODEL } from "./default-model.ts";
export { parsePage } from "./dom.ts";
export {
  type CandidatesHealInput,
  COLD_START_DISCOUNT,
  type DomHealInput,
  type HealOptions,
  healCandidates,
  healDom,
} from "./heal.ts";
export { HealInputTooLarge, type HealLimitKind } from "./limits.ts";
export * from "./schema.ts";
export {
  type AiReranker,
  type AiRerankerOptions,
  createAiReranker,
  type RerankFunction,
} from "./strategies/ai.ts";
export { STRATEGY_NAMES } from "./strategies/index.ts";
export {
  fitTenantModel,
  TENANT_THRESHOLD,
  type TenantThreshold,
  type ThresholdFeedback,
  tenantThreshold,
  withTenantThreshold,
} from "./tenant.ts";
export { evaluate, fitWeights, type HealingExample, type HealingMetrics } from "./training.ts";
export type {
  Alternative,
  CandidateSuggestion,
  CandidatesHealResult,
  DomHealResult,
  DomSuggestion,
  ElementDescriptor,
  ElementRect,
  HealingModel,
} from "./types.ts";
