// Placeholder until bench/fit-default-model.ts generates this file.
import type { HealingModel } from "./types.ts";

export const DEFAULT_MODEL: HealingModel = {
  weights: {
    testId: 6, "testId?": -3, idName: 4, "idName?": -2, role: 3, "role?": -1.5, text: 4, "text?": -2,
    tag: 1.5, "tag?": -0.75, attributes: 2, "attributes?": -1, structure: 3, "structure?": -1.5,
    position: 1, "position?": -0.5, neighbors: 2, "neighbors?": -1,
  },
  bias: -2,
  calibration: { top: 0.8, margin: 0.6, intercept: -1 },
  threshold: 0.5,
  version: "placeholder",
};
