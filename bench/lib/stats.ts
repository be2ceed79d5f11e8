/**
 * The two summaries every benchmark reports, defined once so that a p50 means the same thing in
 * every script: the median of repeated runs, and nearest-rank percentiles of a latency sample.
 */

/** The middle value; the mean of the two middle values for an even count (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Nearest-rank percentile: the smallest value with at least p % of the sample at or below it
 * (NaN when empty). Sorts a copy, so callers may pass samples in any order.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
