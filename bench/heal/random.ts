import { seededRng } from "../../shared/random.ts";

/** Seeded RNG (mulberry32): the corpus is identical on every run. */
export type Random = {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  hash(length: number): string;
  shuffle<T>(items: T[]): T[];
};

export function seededRandom(seed: number): Random {
  const next = seededRng(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    hash: (length) => {
      // Build-tool hashes always mix in a digit, which is what makes them recognisable.
      let out = "";
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out.slice(0, -1) + String(int(0, 9));
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
}
