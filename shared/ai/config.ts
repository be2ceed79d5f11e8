import { z } from "zod";

/**
 * The AI providers this deployment may call, validated at start-up with the rest of the configuration
 * (workers/env.ts). All are optional: with none, workflows run their deterministic core and the
 * endpoints that need a model answer 503 `not_configured` (docs/ai.md).
 */
export const PROVIDER_KINDS = ["openai", "anthropic", "workers-ai"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

const model = z.string().min(1).max(200);

const httpProviderSchema = z.object({
  kind: z.enum(["openai", "anthropic"]),
  /** OpenAI: up to `/v1` (chat completions is `${baseUrl}/chat/completions`); Anthropic: the host. */
  baseUrl: z.url({ error: "OPENAI_BASE_URL / ANTHROPIC_BASE_URL must be an absolute URL" }),
  apiKey: z.string().min(8, { error: "an AI provider API key must be at least 8 characters" }),
  model,
});

/** Workers AI is reached through the `AI` binding: no URL, no key (the binding is the credential). */
const workersAiSchema = z.object({ kind: z.literal("workers-ai"), model });

export const providerConfigSchema = z.discriminatedUnion("kind", [httpProviderSchema, workersAiSchema]);
export type ProviderConfig = z.infer<typeof providerConfigSchema>;
export type HttpProviderConfig = z.infer<typeof httpProviderSchema>;

/** Providers in the order they are tried: the primary first, the others as fallbacks. */
export const llmConfigSchema = z.object({
  primary: z
    .enum(PROVIDER_KINDS, { error: "AI_PRIMARY must be `openai`, `anthropic` or `workers-ai`" })
    .optional(),
  providers: z.array(providerConfigSchema).max(PROVIDER_KINDS.length),
});
export type LlmConfig = z.infer<typeof llmConfigSchema>;

export const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";

/** The AI layer's variables (docs/ai.md); the worker's `Env` includes them. */
export type LlmEnv = {
  /** OpenAI chat completions and/or Anthropic messages; both optional. */
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  OPENAI_MODEL?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  ANTHROPIC_MODEL?: string;
  /** The Workers AI binding; its presence configures the provider. */
  AI?: unknown;
  /** Workers AI's model when the `AI` binding is present. */
  WORKERS_AI_MODEL?: string;
  /** Which configured provider is tried first (`openai`, `anthropic` or `workers-ai`); the others follow. */
  AI_PRIMARY?: string;
};

/**
 * The raw provider list from the environment; a provider is configured by its API key (Workers AI by
 * its binding). The primary goes first, the others follow in the order openai, anthropic, workers-ai.
 */
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
    "workers-ai": env.AI != null && {
      kind: "workers-ai",
      model: blank(env.WORKERS_AI_MODEL) ?? DEFAULT_WORKERS_AI_MODEL,
    },
  };
  const primary = blank(env.AI_PRIMARY);
  const known = PROVIDER_KINDS.find((kind) => kind === primary);
  const order: ProviderKind[] = known
    ? [known, ...PROVIDER_KINDS.filter((k) => k !== known)]
    : [...PROVIDER_KINDS];
  return { primary, providers: order.map((kind) => providers[kind]).filter(Boolean) };
}
