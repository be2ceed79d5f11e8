/**
 * Isotonic recalibration (pool-adjacent-violators) of the Platt confidence, fitted on the
 * cross-fitted evidence (docs/heal-model.md, calibration). Platt's sigmoid has one shape for every
 * page; out of fold, some confidence bands are right more often than the sigmoid says and others
 * less. PAV finds the non-decreasing map from confidence to how often the answer was right, so the
 * order of answers (and what the threshold can separate) is kept, only the stated level moves.
 */

/** Knots of a non-decreasing piecewise-linear map: confidences in, right-rates out (same length). */
export type IsotonicMap = { x: number[]; y: number[] };

/**
 * Examples a block must hold before it becomes its own knot; smaller ones pool with a neighbour.
 * At 80 a knot's right-rate is known to about ±0.05 (binomial standard error at one half). With 5,
 * the map followed the noise of the calibration data: on sites left out of the fit its confidences
 * were off by more (docs/heal-model.md). Counted as effective examples, (Σw)² / Σw²: the calibration
 * weighs real pages up (each weighs 2.6 generated ones in the shipped fit), and 31 such pages
 * weigh 80 but know a rate no better than 31 examples do.
 */
export const MIN_BLOCK_EXAMPLES = 80;

/**
 * PAV over (confidence, right) pairs with example weights. Each block's rate is smoothed by
 * Laplace's rule ((k + 1) / (n + 2)) so a band seen a few times cannot claim certainty.
 */
export function fitIsotonic(
  points: readonly { confidence: number; right: boolean; weight?: number }[],
  minBlockExamples = MIN_BLOCK_EXAMPLES,
): IsotonicMap | undefined {
  if (points.length === 0) return undefined;
  const sorted = [...points].sort((a, b) => a.confidence - b.confidence);
  type Block = { weight: number; squares: number; right: number; sumX: number };
  const examples = (block: Block) => (block.weight * block.weight) / block.squares;
  const blocks: Block[] = [];
  for (const point of sorted) {
    const weight = point.weight ?? 1;
    if (weight <= 0) continue;
    const right = point.right ? weight : 0;
    blocks.push({ weight, squares: weight * weight, right, sumX: point.confidence * weight });
    // Pool while the last block's rate is not above the one before it, or the one before is too thin.
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (
        previous.right / previous.weight < last.right / last.weight &&
        examples(previous) >= minBlockExamples
      )
        break;
      previous.weight += last.weight;
      previous.squares += last.squares;
      previous.right += last.right;
      previous.sumX += last.sumX;
      blocks.pop();
    }
  }
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  const x: number[] = [];
  const y: number[] = [];
  let floor = 0;
  for (const block of blocks) {
    floor = Math.max(floor, (block.right + 1) / (block.weight + 2));
    x.push(round(block.sumX / block.weight));
    y.push(round(floor));
  }
  return { x, y };
}

/** The map at `confidence`: linear between knots, flat beyond the first and last. */
export function applyIsotonic(map: IsotonicMap, confidence: number): number {
  const { x, y } = map;
  const n = x.length;
  if (n === 0) return confidence;
  if (confidence <= x[0]!) return y[0]!;
  if (confidence >= x[n - 1]!) return y[n - 1]!;
  let i = 1;
  while (x[i]! < confidence) i++;
  const span = x[i]! - x[i - 1]!;
  const t = span > 0 ? (confidence - x[i - 1]!) / span : 1;
  return y[i - 1]! + t * (y[i]! - y[i - 1]!);
}
