import type { Exploration } from "../contract/generation.ts";
import { planTests } from "./planner.ts";
import { type RenderedFile, renderPlan } from "./render.ts";

export type GenerationResult = {
  files: RenderedFile[];
  figures: { pages: number; interactions: number; tests: number; assertions: number };
};

/** Exploration → plan → files, with the figures the job reports. Pure and deterministic. */
export function generateSuite(exploration: Exploration, maxTests: number): GenerationResult {
  const plan = planTests(exploration, { maxTests });
  const assertions = plan.tests.reduce((n, t) => n + t.assertions.length + t.afterReload.length, 0);
  return {
    files: renderPlan(plan, exploration.appUrl),
    figures: { pages: plan.pages, interactions: plan.interactions, tests: plan.tests.length, assertions },
  };
}
