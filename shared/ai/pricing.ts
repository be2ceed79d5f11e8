/**
 * List prices in micro-dollars per million tokens (input, output), as the providers publish them; the
 * ledger stores integer micro-dollars so monthly sums are exact. A model missing here is priced at the
 * most expensive entry, so an unknown model can never slip under a budget.
 */
const PRICES: Record<string, { input: number; output: number }> = {
  "gpt-4o-mini": { input: 150_000, output: 600_000 },
  "gpt-4o": { input: 2_500_000, output: 10_000_000 },
  "gpt-4.1-mini": { input: 400_000, output: 1_600_000 },
  "gpt-4.1": { input: 2_000_000, output: 8_000_000 },
  "claude-3-5-haiku-latest": { input: 800_000, output: 4_000_000 },
  "claude-3-5-sonnet-latest": { input: 3_000_000, output: 15_000_000 },
  "claude-sonnet-4-0": { input: 3_000_000, output: 15_000_000 },
  "claude-opus-4-0": { input: 15_000_000, output: 75_000_000 },
  // Workers AI, its published per-token prices (it bills in neurons; these are the listed equivalents).
  "@cf/meta/llama-3.1-8b-instruct": { input: 282_000, output: 827_000 },
  "@cf/meta/llama-3.1-8b-instruct-fp8-fast": { input: 45_000, output: 384_000 },
  "@cf/meta/llama-3.2-3b-instruct": { input: 51_000, output: 335_000 },
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { input: 293_000, output: 2_253_000 },
};

const FALLBACK = { input: 15_000_000, output: 75_000_000 };

export function priceOf(model: string) {
  return PRICES[model] ?? FALLBACK;
}

/** Cost of one call in micro-dollars, rounded up (a call is never free). */
export function costMicros(model: string, tokensIn: number, tokensOut: number): number {
  const price = priceOf(model);
  return Math.ceil((tokensIn * price.input + tokensOut * price.output) / 1_000_000);
}

/** The largest cost a call with this prompt size and output cap can reach: the pre-call budget check. */
export function worstCaseMicros(model: string, tokensIn: number, maxTokensOut: number): number {
  return costMicros(model, tokensIn, maxTokensOut);
}
