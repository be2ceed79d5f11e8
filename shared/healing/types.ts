import type { z } from "zod";
import type { IsotonicMap } from "./fit-isotonic.ts";
import type { CandidatesHealResultSchema, DomHealResultSchema, ElementDescriptorSchema } from "./schema.ts";

/** What a client knows about one element (docs/heal-api.md; its limits in schema.ts). Any field may be missing. */
export type ElementDescriptor = z.infer<typeof ElementDescriptorSchema>;
export type ElementRect = NonNullable<ElementDescriptor["rect"]>;
export type NeighborText = NonNullable<ElementDescriptor["neighborText"]>;

/** A strategy's verdict on one target/candidate pair: a score in [0,1] and why. */
export type StrategyScore = { score: number; why: string };

/**
 * Platt scaling of the top candidate's evidence. `group` and `count` are set by models fitted with a
 * ranking objective: `group` weighs the margin to the best candidate that is not the same visual
 * element (see visual.ts), `count` the log of the number of ranked candidates; such models carry no
 * hand-set tie penalty, the fit learns what a near tie is worth.
 */
export type Calibration = {
  top: number;
  margin: number;
  intercept: number;
  ceiling?: number;
  group?: number;
  count?: number;
  /**
   * Non-decreasing map applied last to the confidence above (fit-isotonic.ts): knots `x` (Platt
   * confidences) to `y` (how often answers there were right, out of fold). Older models have none.
   */
  isotonic?: IsotonicMap;
};

/** Learned combination: logistic weights per feature, Platt calibration, abstention threshold. */
export type HealingModel = {
  /** Keyed by feature name: `<strategy>` (score) and `<strategy>?` (evidence present). */
  weights: Record<string, number>;
  bias: number;
  /**
   * confidence = min(ceiling, sigmoid(top * topLogit + margin * (topLogit - secondLogit) + intercept)),
   * then `isotonic` when present; the optional ceiling is what the calibration data can support
   * (older models have none).
   */
  calibration: Calibration;
  /** Below this calibrated confidence the answer is healed:false. */
  threshold: number;
  version: string;
  /**
   * The same combination fitted and calibrated without layout, used when rects are absent (the DOM
   * form, server-rendered pages, SDKs that send no rect). Confidence stays calibrated, so the one
   * `threshold` applies to both. Models without it use the main weights.
   */
  noRect?: HealingModelVariant;
  /**
   * The combination fitted and calibrated for cold start: a target that carries only what a
   * selector can say (tag, attributes, text, role, name; no xpath, layout or neighbours), e.g. one
   * rebuilt from a failing selector. Its confidence is calibrated on such targets, so the one
   * `threshold` applies. Models without it fall back to the main weights with a fixed discount.
   */
  coldStart?: HealingModelVariant;
};

/** Weights and calibration of one regime of a model. */
export type HealingModelVariant = Pick<HealingModel, "weights" | "bias" | "calibration">;

/** The engine's answers (shapes in schema.ts, which the HTTP contract extends with the attempt id). */
export type CandidatesHealResult = z.infer<typeof CandidatesHealResultSchema>;
export type DomHealResult = z.infer<typeof DomHealResultSchema>;

export type Alternative = CandidatesHealResult["alternatives"][number];

/**
 * The engine's best guess when it abstains (healed:false): the top-ranked candidate and its
 * calibrated confidence, for a person to confirm. Null when healed, or when nothing could be ranked.
 */
export type CandidateSuggestion = NonNullable<CandidatesHealResult["suggestion"]>;

/** DOM-form counterpart of CandidateSuggestion: locators of the top-ranked element. */
export type DomSuggestion = NonNullable<DomHealResult["suggestion"]>;
