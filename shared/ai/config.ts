import { z } from "zod";

/**
 * The AI providers this deployment may call, validated at start-up with the rest of the configuration
 * (workers/env.ts). Both are optional: with none, workflows run their deterministic core and the
 * endpoints that need a model answer 503 `not_configured` (docs/ai.md).
 */
export const PROVIDER_KINDS = ["openai", "anthropic"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const providerConfigSchema = z.object({
  kind: z.enum(PROVIDER_KINDS),
  /** OpenAI: up to `/v1` (chat completions is `${baseUrl}/chat/completions`); Anthropic: the host. */
  baseUrl: z.url({ error: "OPENAI_BASE_URL / ANTHROPIC_BASE_URL must be an absolute URL" }),
  apiKey: z.string().min(8, { error: "an AI provider API key must be at least 8 characters" }),
  model: z.string().min(1).max(200),
});
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/** Providers in the order they are tried: the primary first, the other as the fallback. */
export const llmConfigSchema = z.object({
  primary: z.enum(PROVIDER_KINDS, { error: "AI_PRIMARY must be `openai` or `anthropic`" }).optional(),
  providers: z.array(providerConfigSchema).max(2),
});
export type LlmConfig = z.infer<typeof llmConfigSchema>;

type LlmEnv = {
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  OPENAI_MODEL?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  ANTHROPIC_MODEL?: string;
  AI_PRIMARY?: string;
};

/** The raw provider list from the environment; a provider is configured by its API key. */
export function llmConfigInput(env: LlmEnv, blank: (v: string | undefined) => string | undefined) {
  const providers: Record<ProviderKind, unknown> = {
    openai: blank(env.OPENAI_API_KEY) && {
      kind: "openai",
      baseUrl: blank(env.OPENAI_BASE_URL) ?? "https://api.openai.com/v1",
      apiKey: env.OPENAI_API_KEY,
      model: blank(env.OPENAI_MODEL) ?? "gpt-4o-mini",
    },
    anthropic: blank(env.ANTHROPIC_API_KEY) && {
      kind: "anthropic",
      baseUrl: blank(env.ANTHROPIC_BASE_URL) ?? "https://api.anthropic.com",
      apiKey: env.ANTHROPIC_API_KEY,
      model: blank(env.ANTHROPIC_MODEL) ?? "claude-3-5-haiku-latest",
    },
  };
  const primary = blank(env.AI_PRIMARY);
  const order: ProviderKind[] = primary === "anthropic" ? ["anthropic", "openai"] : ["openai", "anthropic"];
  return { primary, providers: order.map((kind) => providers[kind]).filter(Boolean) };
}
