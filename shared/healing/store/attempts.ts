import { canonicalJson } from "../../audit/chain.ts";
import type {
  HealAttempt,
  HealAttemptFilter,
  HealBucket,
  HealRequest,
  HealResult,
  HealStats,
  HealStatsFilter,
} from "../../contract/healing.ts";
import { sha256Hex } from "../../crypto/hash.ts";
import { newId } from "../../ids.ts";
import { toPage } from "../../pagination.ts";
import {
  type AiReranker,
  type CandidatesHealResult,
  type DomHealResult,
  healCandidates,
  healDom,
} from "../index.ts";
import {
  type AttemptCounts,
  countAttempts,
  type HealAttemptRow,
  insertAttempt,
  selectAttempts,
} from "./attempts-repository.ts";
import { exampleKey, putExample, type StoredExample } from "./examples.ts";
import type { HealingServices } from "./services.ts";
import { tenantModel } from "./tenant-threshold.ts";

/**
 * Heals with the org's active model (and its learned threshold) and records the attempt. `exampleStored` settles once the input
 * is kept for retraining; the caller lets it finish off the response path.
 */
export async function healAndRecord(
  services: HealingServices,
  orgId: string,
  request: HealRequest,
  ai: AiReranker | undefined,
): Promise<{ result: HealResult; exampleStored: Promise<void> }> {
  // The active weights with the threshold the org's own verdicts justify (tenant-threshold.ts).
  const model = await tenantModel(services.db, services.cache, orgId);
  const started = performance.now();
  const result =
    "candidates" in request
      ? await healCandidates(
          { selector: request.selector, target: request.target, candidates: request.candidates },
          { model, ai },
        )
      : await healDom(
          {
            selector: request.selector,
            dom: request.dom,
            previousDom: request.previousDom,
            target: request.target,
          },
          { model, ai },
        );
  const latencyMs = performance.now() - started;
  const recorded = await recordAttempt(services, orgId, request, result, {
    latencyMs,
    modelVersion: model.version,
  });
  return { result: { ...result, attemptId: recorded.attemptId }, exampleStored: recorded.exampleStored };
}

/**
 * One attempt row (what was asked, as a hash; what was answered) and, in R2, the input itself: only
 * needed if feedback arrives later, so its upload is returned as a promise rather than awaited.
 */
export async function recordAttempt(
  services: HealingServices,
  orgId: string,
  request: HealRequest,
  result: CandidatesHealResult | DomHealResult,
  run: { latencyMs: number; modelVersion: string },
): Promise<{ attemptId: string; exampleStored: Promise<void> }> {
  const now = services.clock();
  const attemptId = newId("hea", now);
  const key = exampleKey(orgId, attemptId);
  const isCandidates = "candidates" in request;
  await insertAttempt(services.db, {
    id: attemptId,
    orgId,
    projectId: request.projectId ?? null,
    form: isCandidates ? "candidates" : "dom",
    selector: request.selector ?? null,
    inputHash: await sha256Hex(canonicalJson(request)),
    candidateCount: isCandidates ? request.candidates.length : 0,
    healed: result.healed,
    confidence: result.confidence,
    strategy: result.strategy,
    resultIndex: "index" in result ? result.index : null,
    resultSelector: result.selector,
    alternatives: result.alternatives,
    suggestionIndex: result.suggestion && "index" in result.suggestion ? result.suggestion.index : null,
    suggestionSelector: result.suggestion?.selector ?? null,
    suggestionConfidence: result.suggestion?.confidence ?? null,
    latencyMs: run.latencyMs,
    modelVersion: run.modelVersion,
    exampleKey: key,
    createdAt: now,
  });
  const exampleStored = putExample(services.artifacts, key, exampleOf(request)).catch((error: unknown) =>
    services.logger.error("heal example not stored", { attemptId, error: String(error) }),
  );
  return { attemptId, exampleStored };
}

function exampleOf(request: HealRequest): StoredExample {
  if ("candidates" in request) {
    return {
      form: "candidates",
      selector: request.selector,
      target: request.target,
      candidates: request.candidates,
    };
  }
  return {
    form: "dom",
    selector: request.selector,
    dom: request.dom,
    previousDom: request.previousDom,
    target: request.target,
  };
}

export async function listAttempts(
  services: Pick<HealingServices, "db">,
  orgId: string,
  query: HealAttemptFilter & { cursor?: string; limit: number },
): Promise<{ items: HealAttempt[]; nextCursor: string | null }> {
  const rows = await selectAttempts(services.db, orgId, query);
  return toPage(rows.map(toAttempt), query.limit);
}

export function toAttempt(row: HealAttemptRow): HealAttempt {
  return {
    id: row.id,
    projectId: row.projectId,
    form: row.form,
    selector: row.selector,
    healed: row.healed,
    confidence: row.confidence,
    strategy: row.strategy,
    resultIndex: row.resultIndex,
    resultSelector: row.resultSelector,
    candidateCount: row.candidateCount,
    suggestion:
      row.suggestionConfidence === null
        ? null
        : {
            index: row.suggestionIndex,
            selector: row.suggestionSelector,
            confidence: row.suggestionConfidence,
          },
    latencyMs: row.latencyMs,
    modelVersion: row.modelVersion,
    feedback:
      row.feedbackAt === null
        ? null
        : {
            accepted: !!row.feedbackAccepted,
            correctIndex: row.feedbackCorrectIndex,
            correctSelector: row.feedbackCorrectSelector,
            at: row.feedbackAt,
          },
    createdAt: row.createdAt,
  };
}

/** Heal rate and acceptance rate overall, by strategy and by project (largest groups first). */
export async function healStats(
  services: Pick<HealingServices, "db">,
  orgId: string,
  filter: HealStatsFilter,
): Promise<HealStats> {
  const counts = await countAttempts(services.db, orgId, filter);
  const largestFirst = (a: HealBucket, b: HealBucket) => b.attempts - a.attempts;
  return {
    overall: healBucket(counts.overall ?? NO_ATTEMPTS),
    byStrategy: counts.byStrategy.map(healBucket).sort(largestFirst),
    byProject: counts.byProject.map(healBucket).sort(largestFirst),
  };
}

/** The counts of a bucket no attempt fell into. */
export const NO_ATTEMPTS: AttemptCounts = {
  key: null,
  attempts: 0,
  healed: 0,
  reviewed: 0,
  accepted: 0,
  avgConfidence: null,
};

/** Rates from counts: the heal rate over all attempts, the acceptance rate over reviewed ones (null if none). */
export function healBucket(counts: AttemptCounts): HealBucket {
  const healed = Number(counts.healed);
  const reviewed = Number(counts.reviewed);
  const accepted = Number(counts.accepted);
  return {
    key: counts.key,
    attempts: counts.attempts,
    healed,
    healRate: counts.attempts ? healed / counts.attempts : 0,
    reviewed,
    accepted,
    acceptanceRate: reviewed ? accepted / reviewed : null,
    avgConfidence: counts.avgConfidence === null ? null : Number(counts.avgConfidence),
  };
}
