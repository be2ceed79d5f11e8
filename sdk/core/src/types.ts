/**
 * Request and response shapes of the Shifty API, written to match its OpenAPI document
 * (`GET /openapi.json`) and DESIGN §5 (the heal contract). Only what the SDK, fixture and CLI use.
 */

/** What a client knows about one element (DESIGN §5). Any field may be missing. */
export type ElementDescriptor = {
  tag: string;
  attributes?: Record<string, string>;
  text?: string;
  xpath?: string;
  idXpath?: string;
  rect?: { x: number; y: number; width: number; height: number };
  neighborText?: { above?: string; below?: string; left?: string; right?: string };
  role?: string;
  accessibleName?: string;
};

export type CandidatesHealRequest = {
  selector?: string;
  target: ElementDescriptor;
  candidates: ElementDescriptor[];
  projectId?: string;
};

export type CandidatesHealResult = {
  healed: boolean;
  index: number | null;
  confidence: number;
  strategy: string;
  selector: string | null;
  alternatives: { index: number; confidence: number }[];
  attemptId: string;
};

export type DomHealRequest = {
  selector: string;
  dom: string;
  previousDom?: string;
  target?: ElementDescriptor;
  projectId?: string;
};

export type DomHealResult = {
  healed: boolean;
  confidence: number;
  strategy: string;
  selector: string | null;
  xpath: string | null;
  playwright: string | null;
  alternatives: { selector: string; confidence: number }[];
  attemptId: string;
};

export type HealFeedback = { accepted: boolean; correctIndex?: number; correctSelector?: string };

export type HealStatus = "pending" | "accepted" | "rejected";

export type HealedLocator = {
  id: string;
  projectId: string;
  status: HealStatus;
  autoAccepted: boolean;
  testFile: string;
  testTitle: string;
  /** file:line:column of the call that built the locator. */
  location: string;
  originalSelector: string;
  healedSelector: string;
  healedLocator: string | null;
  confidence: number;
  attemptId: string;
  runId: string | null;
  occurrences: number;
  reviewedBy: string | null;
  reviewedAt: number | null;
  reviewNote: string | null;
  createdAt: number;
  updatedAt: number;
};

export type RecordHealRequest = {
  testFile: string;
  testTitle: string;
  location: string;
  originalSelector: string;
  healedSelector: string;
  healedLocator?: string;
  confidence: number;
  attemptId: string;
  runId?: string;
};

export type GateStatus = "pass" | "fail" | "warn";
export type GateReason = {
  rule: "minPassRate" | "noNewFailures" | "noBrokenTests" | "maxHealsBeforeWarning";
  status: GateStatus;
  message: string;
};
export type Gate = { status: GateStatus; reasons: GateReason[]; evaluatedAt: number };

export type Run = {
  id: string;
  projectId: string;
  status: "passed" | "failed";
  format: "junit" | "playwright";
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  healed: number;
  durationMs: number;
  commit: string | null;
  branch: string | null;
  baseBranch: string | null;
  pr: number | null;
  provider: string | null;
  runUrl: string | null;
  buildId: string | null;
  createdAt: number;
  newFailures: number;
  gate: { status: GateStatus; reasons: GateReason[] };
};

export type Provider = "github" | "gitlab" | "circleci" | "jenkins" | "buildkite" | "azure" | "other";

/** Git/CI metadata sent with an upload (query parameters of POST /v1/projects/{projectId}/runs). */
export type RunMetadata = {
  commit?: string;
  branch?: string;
  baseBranch?: string;
  pr?: number;
  provider?: Provider;
  runUrl?: string;
  buildId?: string;
};

export type Project = {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  createdAt: number;
  updatedAt: number;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

/** RFC 9457 problem+json, as every Shifty error is sent (DESIGN §4). */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
};
