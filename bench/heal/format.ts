/** How the heal benchmarks print their figures: rates as percentages, JSON values to four decimals. */
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const round = (x: number) => Math.round(x * 10_000) / 10_000;
