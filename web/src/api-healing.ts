// Typed calls of the healing API (workers/routes/healing/): stats, attempts, the review queue of healed
// locators, heal settings and the model registry.
import { enc, json, type Page, type Paging } from "./api.ts";

export type {
  HealAttempt,
  HealAttemptFilter as AttemptFilter,
  HealBucket,
  HealedLocator,
  HealingModelMetrics as ModelMetrics,
  HealingModelVersion as ModelVersion,
  HealOutcome,
  HealSettings,
  HealStats,
  HealStatus,
  RetrainResult as RetrainOutcome,
} from "../../shared/contract/healing.ts";

import type {
  HealAttempt,
  HealAttemptFilter,
  HealContext,
  HealedLocator,
  HealingModelVersion,
  HealSettings,
  HealStats,
  HealStatus,
  RetrainResult,
} from "../../shared/contract/healing.ts";

export const healingApi = {
  stats: (query: { projectId?: string } = {}) => json<HealStats>("GET", "/v1/heal/stats", { query }),
  attempts: (filter: HealAttemptFilter & Paging) =>
    json<Page<HealAttempt>>("GET", "/v1/heal/attempts", { query: filter }),
  heals: (projectId: string, query: { status?: HealStatus } & Paging) =>
    json<Page<HealedLocator>>("GET", healingApi.healsPath(projectId), { query }),
  /** The DOM around a heal's old and new element (the review's context panel). */
  context: (healId: string) => json<HealContext>("GET", `/v1/heals/${enc(healId)}/context`),
  /** The review queue's URL, for useChangePoll (it answers with an ETag). */
  healsPath: (projectId: string) => `/v1/projects/${enc(projectId)}/heals`,
  approve: (healId: string, body: { note?: string } = {}) =>
    json<HealedLocator>("POST", `/v1/heals/${enc(healId)}/approve`, { json: body }),
  reject: (healId: string, body: { note?: string; correctSelector?: string } = {}) =>
    json<HealedLocator>("POST", `/v1/heals/${enc(healId)}/reject`, { json: body }),
  /** Takes the caller's own approval or rejection back, within two minutes (docs/heal-api.md). */
  undoReview: (healId: string) => json<HealedLocator>("POST", `/v1/heals/${enc(healId)}/undo`),
  approveSuggestion: (attemptId: string) =>
    json<HealAttempt>("POST", `/v1/heal/attempts/${enc(attemptId)}/suggestion/approve`, { json: {} }),
  rejectSuggestion: (attemptId: string, body: { correctSelector?: string } = {}) =>
    json<HealAttempt>("POST", `/v1/heal/attempts/${enc(attemptId)}/suggestion/reject`, { json: body }),
  settings: (projectId: string) => json<HealSettings>("GET", `/v1/projects/${enc(projectId)}/heal-settings`),
  saveSettings: (projectId: string, autoAcceptThreshold: number) =>
    json<HealSettings>("PUT", `/v1/projects/${enc(projectId)}/heal-settings`, {
      json: { autoAcceptThreshold },
    }),
  models: (query: Paging = {}) => json<Page<HealingModelVersion>>("GET", "/v1/heal/models", { query }),
  retrain: () => json<RetrainResult>("POST", "/v1/heal/models/retrain"),
  activate: (modelId: string) =>
    json<HealingModelVersion>("POST", `/v1/heal/models/${enc(modelId)}/activate`),
  activateDefault: () => json<void>("POST", "/v1/heal/models/default/activate"),
};
