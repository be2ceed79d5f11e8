// Typed calls of the healing API (workers/routes/healing/): stats, attempts, the review queue of healed
// locators, heal settings and the model registry.
import { enc, json, type Page } from "./api.ts";

export type HealOutcome = "healed" | "abstained" | "accepted" | "rejected" | "unreviewed";
export type HealBucket = {
  key: string | null;
  attempts: number;
  healed: number;
  healRate: number;
  reviewed: number;
  accepted: number;
  acceptanceRate: number | null;
  avgConfidence: number | null;
};
export type HealStats = { overall: HealBucket; byStrategy: HealBucket[]; byProject: HealBucket[] };
export type HealAttempt = {
  id: string;
  projectId: string | null;
  form: "candidates" | "dom";
  selector: string | null;
  healed: boolean;
  confidence: number;
  strategy: string;
  resultIndex: number | null;
  resultSelector: string | null;
  candidateCount: number;
  latencyMs: number;
  modelVersion: string;
  feedback: {
    accepted: boolean;
    correctIndex: number | null;
    correctSelector: string | null;
    at: number;
  } | null;
  createdAt: number;
};
export type AttemptFilter = {
  projectId?: string;
  outcome?: HealOutcome;
  strategy?: string;
  from?: number;
  to?: number;
};
export type HealStatus = "pending" | "accepted" | "rejected";
export type HealedLocator = {
  id: string;
  projectId: string;
  status: HealStatus;
  autoAccepted: boolean;
  testFile: string;
  testTitle: string;
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
export type HealSettings = { projectId: string; autoAcceptThreshold: number; updatedAt: number | null };
/** Held-out metrics of shared/healing/training.ts (HealingMetrics). */
export type ModelMetrics = {
  examples: number;
  top1: number;
  wrongHealRate: number;
  abstainAccuracy: number;
  healedCorrectRate: number;
  ece: number;
};
export type ModelVersion = {
  id: string;
  version: number;
  status: "active" | "candidate" | "rejected" | "retired";
  metrics: { candidate?: ModelMetrics; incumbent?: ModelMetrics; incumbentVersion?: string };
  trainingExamples: number;
  holdoutExamples: number;
  reason: string | null;
  createdAt: number;
  activatedAt: number | null;
};
export type RetrainOutcome = {
  status: "skipped" | "promoted" | "rejected" | string;
  reason?: string;
  modelId?: string;
  version?: number;
  examples: number;
};

export const healingApi = {
  stats: (query: { projectId?: string } = {}) => json<HealStats>("GET", "/v1/heal/stats", { query }),
  attempts: (filter: AttemptFilter & { cursor?: string; limit?: number }) =>
    json<Page<HealAttempt>>("GET", "/v1/heal/attempts", { query: filter }),
  heals: (projectId: string, query: { status?: HealStatus; cursor?: string; limit?: number }) =>
    json<Page<HealedLocator>>("GET", `/v1/projects/${enc(projectId)}/heals`, { query }),
  approve: (healId: string, body: { note?: string } = {}) =>
    json<HealedLocator>("POST", `/v1/heals/${enc(healId)}/approve`, { json: body }),
  reject: (healId: string, body: { note?: string; correctSelector?: string } = {}) =>
    json<HealedLocator>("POST", `/v1/heals/${enc(healId)}/reject`, { json: body }),
  settings: (projectId: string) => json<HealSettings>("GET", `/v1/projects/${enc(projectId)}/heal-settings`),
  saveSettings: (projectId: string, autoAcceptThreshold: number) =>
    json<HealSettings>("PUT", `/v1/projects/${enc(projectId)}/heal-settings`, {
      json: { autoAcceptThreshold },
    }),
  models: (query: { cursor?: string; limit?: number } = {}) =>
    json<Page<ModelVersion>>("GET", "/v1/heal/models", { query }),
  retrain: () => json<RetrainOutcome>("POST", "/v1/heal/models/retrain"),
  activate: (modelId: string) => json<ModelVersion>("POST", `/v1/heal/models/${enc(modelId)}/activate`),
  activateDefault: () => json<void>("POST", "/v1/heal/models/default/activate"),
};
