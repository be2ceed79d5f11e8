import type { PreparedElement } from "../prepare.ts";
import type { StrategyScore } from "../types.ts";

/**
 * One kind of evidence that a candidate is the element the test meant. `score` returns null when
 * the target carries no such evidence, so the combination can skip it instead of counting a zero.
 */
export type Strategy = {
  name: string;
  /** Cheap strategies run on every candidate; expensive ones only on the shortlist. */
  cost: "cheap" | "expensive";
  score(target: PreparedElement, candidate: PreparedElement): StrategyScore | null;
};

/** Builds the explanation of a verdict from the pair it judged (and its score). */
export type Explain = (target: PreparedElement, candidate: PreparedElement, score: number) => string;

/**
 * A strategy's verdict whose explanation is built only when read. Every pair of every request gets
 * a verdict, but only the answer's are ever explained, so the strings (template literals, slices,
 * toFixed) are not paid for on the hot path.
 */
class Verdict implements StrategyScore {
  readonly score: number;
  readonly #explain: Explain;
  readonly #target: PreparedElement;
  readonly #candidate: PreparedElement;

  constructor(score: number, explain: Explain, target: PreparedElement, candidate: PreparedElement) {
    this.score = score;
    this.#explain = explain;
    this.#target = target;
    this.#candidate = candidate;
  }

  get why(): string {
    return this.#explain(this.#target, this.#candidate, this.score);
  }

  toJSON(): StrategyScore {
    return { score: this.score, why: this.why };
  }
}

/**
 * The mean of the parts of a strategy's evidence that the target has (`add` one score per part); no part
 * is no evidence, so no verdict. Made per call: it does not outlive `score`.
 */
export class Mean {
  #total = 0;
  #count = 0;

  add(score: number): void {
    this.#total += score;
    this.#count++;
  }

  verdict(explain: Explain, target: PreparedElement, candidate: PreparedElement): StrategyScore | null {
    return this.#count === 0 ? null : verdict(this.#total / this.#count, explain, target, candidate);
  }
}

export function verdict(
  score: number,
  explain: Explain,
  target: PreparedElement,
  candidate: PreparedElement,
): StrategyScore {
  return new Verdict(score, explain, target, candidate);
}
