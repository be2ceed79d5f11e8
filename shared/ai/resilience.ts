import { ProviderError } from "./providers.ts";

/**
 * Provider failures are retried with exponential backoff and full jitter; a provider that keeps failing
 * is skipped for a cool-down by a circuit breaker, so a provider outage costs one failed call per
 * cool-down instead of a timeout per workflow run. State is per isolate (each Worker instance learns
 * on its own): a breaker is an optimisation, never a correctness requirement.
 */
export const RETRY_ATTEMPTS = 3;
export const RETRY_BASE_MS = 250;
export const BREAKER_FAILURES = 5;
export const BREAKER_COOLDOWN_MS = 60_000;

type BreakerState = { failures: number; openUntil: number };
const breakers = new Map<string, BreakerState>();

export function breakerOpen(key: string, now: number): boolean {
  const state = breakers.get(key);
  return state !== undefined && state.openUntil > now;
}

export function recordOutcome(key: string, ok: boolean, now: number): void {
  if (ok) {
    breakers.delete(key);
    return;
  }
  const state = breakers.get(key) ?? { failures: 0, openUntil: 0 };
  state.failures += 1;
  if (state.failures >= BREAKER_FAILURES) {
    state.openUntil = now + BREAKER_COOLDOWN_MS;
    state.failures = 0;
  }
  breakers.set(key, state);
}

/** Tests reset the per-isolate state between cases. */
export function resetBreakers(): void {
  breakers.clear();
}

export type RetryOptions = {
  attempts?: number;
  baseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `fn` until it succeeds, a non-retryable ProviderError is thrown, or the attempts run out. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? RETRY_ATTEMPTS;
  const base = options.baseMs ?? RETRY_BASE_MS;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const retryable = error instanceof ProviderError && error.retryable;
      if (!retryable || attempt >= attempts) throw error;
      await sleep(Math.round(random() * base * 2 ** (attempt - 1)));
    }
  }
}
