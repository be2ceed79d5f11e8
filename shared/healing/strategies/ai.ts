/**
 * Optional AI re-ranker: asks an injected model (Workers AI, an OpenAI-compatible endpoint…) to
 * score the shortlist. Off unless configured; bounded by a timeout; a circuit breaker stops
 * calling a failing model so healing latency does not degrade with it.
 */
import type { ElementDescriptor } from "../types.ts";

export type RerankRequest = {
  target: ElementDescriptor;
  candidates: { index: number; descriptor: ElementDescriptor; confidence: number }[];
};

/** Returns a score in [0,1] per candidate index it judged; unknown indices are ignored. */
export type RerankFunction = (request: RerankRequest, signal: AbortSignal) => Promise<Record<number, number>>;

export type AiRerankerOptions = {
  rerank: RerankFunction;
  /** How many of the best candidates the model sees. */
  topK?: number;
  timeoutMs?: number;
  /** Logit units added at most (AI score 1 → +weight, 0 → -weight). */
  weight?: number;
  /** Consecutive failures that open the breaker, and how long it stays open. */
  failureThreshold?: number;
  cooldownMs?: number;
  now?: () => number;
};

export type AiReranker = {
  readonly name: "ai";
  readonly topK: number;
  /** Logit adjustments per candidate index, or null when skipped (breaker open, timeout, error). */
  adjust(request: RerankRequest): Promise<Map<number, number> | null>;
  state(): { open: boolean; failures: number };
};

export function createAiReranker(options: AiRerankerOptions): AiReranker {
  const topK = options.topK ?? 5;
  const timeoutMs = options.timeoutMs ?? 1500;
  const weight = options.weight ?? 1.5;
  const failureThreshold = options.failureThreshold ?? 3;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const now = options.now ?? Date.now;
  let failures = 0;
  let openUntil = 0;

  const fail = () => {
    failures++;
    if (failures >= failureThreshold) openUntil = now() + cooldownMs;
  };

  return {
    name: "ai",
    topK,
    state: () => ({ open: now() < openUntil, failures }),
    async adjust(request) {
      if (now() < openUntil) return null;
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve(null);
        }, timeoutMs);
      });
      try {
        const scores = await Promise.race([options.rerank(request, controller.signal), timeout]);
        if (!scores) {
          fail();
          return null;
        }
        const adjustments = new Map<number, number>();
        for (const { index } of request.candidates) {
          const score = scores[index];
          if (typeof score === "number" && Number.isFinite(score)) {
            adjustments.set(index, weight * (2 * Math.min(1, Math.max(0, score)) - 1));
          }
        }
        failures = 0;
        return adjustments;
      } catch {
        fail();
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
