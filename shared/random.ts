/** A source of uniform numbers in [0, 1): Math.random, or a seeded one where runs must repeat. */
export type Rng = () => number;

/**
 * mulberry32: a tiny seedable PRNG, uniform in [0, 1). The same seed gives the same sequence, so a
 * refit on the same data gives the same model, a simulation or benchmark the same input.
 */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
