import type { ChatClient, ChatRequest, ChatResult } from "./providers.ts";
import { ProviderError } from "./providers.ts";

/**
 * Workers AI through the `AI` binding (docs/ai.md): `run(model, { messages, max_tokens })` answers
 * `{ response, usage? }`. The binding is the credential, so there is no URL or key; tests pass a fake
 * object with the same `run`. Token counts come from `usage` when the model reports it, otherwise they
 * are estimated (4 characters a token) so every call is still costed in the ledger.
 */
export type WorkersAiBinding = {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
};

const TIMEOUT_MS = 30_000;

export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/**
 * The binding throws errors that carry Workers AI's numeric codes (e.g. `3040: Capacity temporarily
 * exceeded`, `5007: No such model`): 5xxx are the request's fault (not retried), capacity and rate
 * limits are 429, anything else counts as the platform being unavailable (retried).
 */
function statusOf(message: string): number {
  if (/\b(3036|3040)\b|capacity|rate limit|too many/i.test(message)) return 429;
  if (/\b5\d{3}\b|no such model|invalid input/i.test(message)) return 400;
  return 503;
}

async function runWithTimeout(ai: WorkersAiBinding, model: string, inputs: Record<string, unknown>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderError("workers-ai", 0, "timed out")), TIMEOUT_MS);
  });
  try {
    return await Promise.race([ai.run(model, inputs), timeout]);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ProviderError("workers-ai", statusOf(message), message);
  } finally {
    clearTimeout(timer);
  }
}

const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.round(v) : null);

export function workersAiClient(ai: WorkersAiBinding | null | undefined): ChatClient {
  return {
    kind: "workers-ai",
    async chat(request: ChatRequest): Promise<ChatResult> {
      // Configured by the binding's presence; a missing one here is a wiring bug, reported like an outage.
      if (!ai) throw new ProviderError("workers-ai", 0, "the AI binding is not available");
      const payload = await runWithTimeout(ai, request.model, {
        messages: [
          { role: "system", content: request.system },
          { role: "user", content: request.user },
        ],
        max_tokens: request.maxTokens,
      });
      const obj = (payload && typeof payload === "object" ? payload : {}) as Record<string, unknown>;
      if (typeof obj.response !== "string" || obj.response.length === 0)
        throw new ProviderError("workers-ai", 502, "no response text");
      const usage = (obj.usage ?? {}) as Record<string, unknown>;
      return {
        text: obj.response,
        tokensIn: count(usage.prompt_tokens) ?? estimateTokens(request.system) + estimateTokens(request.user),
        tokensOut: count(usage.completion_tokens) ?? estimateTokens(obj.response),
        model: request.model,
      };
    },
  };
}
