/**
 * Thompson sampling over Beta–Bernoulli arms: each variant's conversion rate has the posterior
 * Beta(1 + conversions, 1 + sends − conversions); a send goes to the variant whose sampled rate is
 * highest. Pure and driven by an injectable RNG so tests and the simulation are reproducible.
 */

import { type Rng, seededRng } from "../random.ts";

/** The RNG the bandit draws from, and the seeded one its tests and the simulation use (../random.ts). */
export { type Rng, seededRng };
export type Arm = { key: string; sends: number; conversions: number };

export function posterior(arm: Arm): { alpha: number; beta: number } {
  const conversions = Math.min(arm.conversions, arm.sends);
  return { alpha: 1 + conversions, beta: 1 + Math.max(0, arm.sends - conversions) };
}

function normal(rng: Rng): number {
  const u = Math.max(rng(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Marsaglia–Tsang; shapes below 1 use the boost Gamma(a) = Gamma(a + 1) · U^(1/a). */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.max(rng(), Number.EPSILON) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng();
    if (Math.log(Math.max(u, Number.EPSILON)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function sampleBeta(alpha: number, beta: number, rng: Rng): number {
  const x = gamma(alpha, rng);
  const y = gamma(beta, rng);
  return x / (x + y);
}

/** The key of the arm whose posterior draw is highest (ties: the first). */
export function chooseVariant(arms: readonly Arm[], rng: Rng): string {
  if (arms.length === 0) throw new Error("an experiment needs at least one variant");
  let best = arms[0]!.key;
  let bestDraw = -1;
  for (const arm of arms) {
    const { alpha, beta } = posterior(arm);
    const draw = sampleBeta(alpha, beta, rng);
    if (draw > bestDraw) {
      bestDraw = draw;
      best = arm.key;
    }
  }
  return best;
}

/** P(arm is best) per key, by Monte Carlo with a fixed seed so the same counts give the same answer. */
export function probabilityBest(arms: readonly Arm[], draws = 2000, seed = 7): Record<string, number> {
  const rng = seededRng(seed);
  const wins: Record<string, number> = Object.fromEntries(arms.map((a) => [a.key, 0]));
  if (arms.length === 0) return wins;
  for (let i = 0; i < draws; i++) {
    const key = chooseVariant(arms, rng);
    wins[key] = (wins[key] ?? 0) + 1;
  }
  for (const key of Object.keys(wins)) wins[key] = Math.round((wins[key]! / draws) * 1000) / 1000;
  return wins;
}

/**
 * Applies one outcome to in-memory arms, once per outcome id: a send adds a trial, a conversion a
 * success. Returns false (and changes nothing) for an id already applied. The database enforces the
 * same rule with the outreach_events primary key; this is its pure form for simulations and tests.
 */
export function applyOutcome(
  arms: Arm[],
  applied: Set<string>,
  outcome: { id: string; key: string; kind: "send" | "conversion" },
): boolean {
  if (applied.has(outcome.id)) return false;
  const arm = arms.find((a) => a.key === outcome.key);
  if (!arm) return false;
  applied.add(outcome.id);
  if (outcome.kind === "send") arm.sends += 1;
  else if (arm.conversions < arm.sends) arm.conversions += 1;
  return true;
}
