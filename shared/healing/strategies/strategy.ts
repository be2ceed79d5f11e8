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
