import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { healAttempts, healingModels } from "../../db/schema/healing.ts";
import { newId } from "../../ids.ts";
import { targetFromSelector } from "../cold-start.ts";
import { DEFAULT_MODEL } from "../default-model.ts";
import { domExample } from "../heal.ts";
import { evaluate, fitWeights, type HealingExample, type HealingMetrics } from "../training.ts";
import type { HealingModel } from "../types.ts";
import { getExample } from "./examples.ts";
import {
  activeModelRow,
  forgetActiveModel,
  newestModel,
  retireActiveStatement,
} from "./models-repository.ts";

const MIN_EXAMPLES = 20;
const MAX_EXAMPLES = 2000;
const HOLDOUT_SHARE = 0.25;

export type RetrainOutcome =
  | { status: "skipped"; reason: string; examples: number }
  | {
      status: "promoted" | "rejected";
      modelId: string;
      version: number;
      candidate: HealingMetrics;
      incumbent: HealingMetrics;
      examples: number;
    };

/** Higher is better: right heals, with a wrong heal costing three times what a right one earns. */
function objective(m: HealingMetrics): number {
  return m.healedCorrectRate * (1 - m.wrongHealRate) + m.abstainAccuracy * 0.25 - 3 * m.wrongHealRate;
}

/** Deterministic shuffle (so a rerun of the same job splits the same way). */
function seededShuffle<T>(items: T[], seed: string): T[] {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    const j = h % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Turns an attempt with feedback into a labelled example; null when it cannot be labelled. */
async function toExample(
  bucket: R2Bucket,
  attempt: typeof healAttempts.$inferSelect,
): Promise<HealingExample | null> {
  if (!attempt.exampleKey) return null;
  const stored = await getExample(bucket, attempt.exampleKey);
  if (!stored) return null;
  if (stored.form === "candidates") {
    const target = stored.target ?? (stored.selector ? targetFromSelector(stored.selector) : null);
    if (!target) return null;
    let correctIndex: number | null;
    if (attempt.feedbackCorrectIndex !== null) correctIndex = attempt.feedbackCorrectIndex;
    else if (attempt.feedbackAccepted) correctIndex = attempt.healed ? attempt.resultIndex : null;
    // Rejected without a correction: the chosen element was wrong; the honest label is "abstain".
    else correctIndex = null;
    if (correctIndex !== null && (correctIndex < 0 || correctIndex >= stored.candidates.length)) return null;
    return { target, candidates: stored.candidates, correctIndex, kind: "feedback" };
  }
  const correctSelector =
    attempt.feedbackCorrectSelector ??
    (attempt.feedbackAccepted && attempt.healed ? attempt.resultSelector : null);
  return domExample(stored, correctSelector);
}

/**
 * Fits the org's weights on its feedback, evaluates candidate and incumbent on the same held-out split,
 * records the version, and promotes it only when it beats the incumbent.
 */
export async function retrainOrg(
  db: Db,
  bucket: R2Bucket,
  cache: KVNamespace,
  orgId: string,
  now = Date.now(),
): Promise<RetrainOutcome> {
  const attempts = await db
    .select()
    .from(healAttempts)
    .where(and(eq(healAttempts.orgId, orgId), isNotNull(healAttempts.feedbackAt)))
    .orderBy(desc(healAttempts.feedbackAt))
    .limit(MAX_EXAMPLES);
  const examples = (await Promise.all(attempts.map((a) => toExample(bucket, a)))).filter(
    (e): e is HealingExample => e !== null,
  );
  if (examples.length < MIN_EXAMPLES) {
    return {
      status: "skipped",
      reason: `needs at least ${MIN_EXAMPLES} labelled examples`,
      examples: examples.length,
    };
  }
  const shuffled = seededShuffle(examples, `${orgId}:${attempts[0]?.id ?? ""}`);
  const holdoutSize = Math.max(5, Math.round(shuffled.length * HOLDOUT_SHARE));
  const holdout = shuffled.slice(0, holdoutSize);
  const train = shuffled.slice(holdoutSize);

  const incumbentModel: HealingModel = (await activeModelRow(db, orgId))?.model ?? DEFAULT_MODEL;
  const version = ((await newestModel(db, orgId))?.version ?? 0) + 1;

  // Fitted from zero, not pulled toward the shared model: with the prior's pull (training.ts) a
  // tenant's 50 examples could not move the weights past the shared threshold, so nothing healed.
  // The candidate still has to beat the incumbent on the held-out split to be promoted.
  const candidateModel = fitWeights(train, { version: `${orgId}:v${version}`, prior: null });
  const candidate = evaluate(candidateModel, holdout);
  const incumbent = evaluate(incumbentModel, holdout);
  const promoted =
    objective(candidate) > objective(incumbent) && candidate.wrongHealRate <= incumbent.wrongHealRate + 0.005;
  const modelId = newId("mdl", now);
  const row = {
    id: modelId,
    orgId,
    version,
    status: promoted ? ("active" as const) : ("rejected" as const),
    model: candidateModel,
    metrics: { candidate, incumbent, incumbentVersion: incumbentModel.version },
    trainingExamples: train.length,
    holdoutExamples: holdout.length,
    reason: promoted
      ? "beat the incumbent on the held-out split"
      : "did not beat the incumbent on the held-out split",
    createdAt: now,
    activatedAt: promoted ? now : null,
  };
  await db.batch([
    ...(promoted ? [retireActiveStatement(db, orgId)] : []),
    db.insert(healingModels).values(row),
  ] as unknown as Parameters<Db["batch"]>[0]);
  if (promoted) await forgetActiveModel(cache, orgId);
  return {
    status: promoted ? "promoted" : "rejected",
    modelId,
    version,
    candidate,
    incumbent,
    examples: examples.length,
  };
}
