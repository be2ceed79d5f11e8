// In-process bandit simulation for bench:pipeline: Thompson sampling (the production chooseVariant and
// posterior) against a uniform A/B split, on the SAME leads. Each lead carries one uniform draw u; it
// converts under variant v iff u < rate(v), so both policies face identical luck.
import { type Arm, chooseVariant, seededRng } from "../../shared/pipeline/bandit.ts";

export type SimulationResult = {
  leads: number;
  rates: Record<string, number>;
  bestVariant: string;
  lastWindow: number;
  bestShareLastWindow: number;
  thompsonConversions: number;
  uniformConversions: number;
  lift: number;
  sendsByVariant: Record<string, number>;
};

export function simulate({
  leads = 5000,
  rates = { a: 0.03, b: 0.05, c: 0.08 } as Record<string, number>,
  lastWindow = 1000,
  seed = 42,
} = {}): SimulationResult {
  const keys = Object.keys(rates);
  const bestVariant = keys.reduce((best, k) => (rates[k]! > rates[best]! ? k : best), keys[0]!);
  const luck = seededRng(seed);
  const draws = Array.from({ length: leads }, () => luck());
  const rng = seededRng(seed + 1);
  const arms: Arm[] = keys.map((key) => ({ key, sends: 0, conversions: 0 }));
  const chosen: string[] = [];
  let thompsonConversions = 0;
  for (const u of draws) {
    const key = chooseVariant(arms, rng);
    const arm = arms.find((a) => a.key === key)!;
    arm.sends += 1;
    if (u < rates[key]!) {
      arm.conversions += 1;
      thompsonConversions += 1;
    }
    chosen.push(key);
  }
  const uniformConversions = draws.filter((u, i) => u < rates[keys[i % keys.length]!]!).length;
  const last = chosen.slice(-lastWindow);
  return {
    leads,
    rates,
    bestVariant,
    lastWindow,
    bestShareLastWindow: last.filter((k) => k === bestVariant).length / last.length,
    thompsonConversions,
    uniformConversions,
    lift: uniformConversions === 0 ? 0 : thompsonConversions / uniformConversions - 1,
    sendsByVariant: Object.fromEntries(arms.map((a) => [a.key, a.sends])),
  };
}
