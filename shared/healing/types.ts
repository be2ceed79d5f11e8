/** What a client knows about one element (DESIGN §5). Any field may be missing. */
export type ElementRect = { x: number; y: number; width: number; height: number };

export type NeighborText = { above?: string; below?: string; left?: string; right?: string };

export type ElementDescriptor = {
  tag: string;
  attributes?: Record<string, string>;
  text?: string;
  xpath?: string;
  idXpath?: string;
  rect?: ElementRect;
  neighborText?: NeighborText;
  role?: string;
  accessibleName?: string;
};

/** A strategy's verdict on one target/candidate pair: a score in [0,1] and why. */
export type StrategyScore = { score: number; why: string };

/** Learned combination: logistic weights per feature, Platt calibration, abstention threshold. */
export type HealingModel = {
  /** Keyed by feature name: `<strategy>` (score) and `<strategy>?` (evidence present). */
  weights: Record<string, number>;
  bias: number;
  /** confidence = sigmoid(top * topLogit + margin * (topLogit - secondLogit) + intercept) */
  calibration: { top: number; margin: number; intercept: number };
  /** Below this calibrated confidence the answer is healed:false. */
  threshold: number;
  version: string;
};

export type Alternative = { index: number; confidence: number };

export type CandidatesHealResult = {
  healed: boolean;
  index: number | null;
  confidence: number;
  strategy: string;
  selector: string | null;
  alternatives: Alternative[];
};

export type DomHealResult = {
  healed: boolean;
  confidence: number;
  strategy: string;
  selector: string | null;
  xpath: string | null;
  playwright: string | null;
  alternatives: { selector: string; confidence: number }[];
};
