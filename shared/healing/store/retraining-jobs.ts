import { and, count, eq, gt, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { healAttempts } from "../../db/schema/healing.ts";
import { runJobOnce } from "../../jobs/job-runs.ts";
import { newestModel } from "./models-repository.ts";
import { type RetrainOutcome, retrainOrg } from "./retraining.ts";
import type { HealingStores } from "./services.ts";

/** Feedback rows since the last model that make a tenant's retraining worthwhile. */
const RETRAIN_AFTER_FEEDBACK = 50;
const HOUR_MS = 3_600_000;

/**
 * Why a retraining runs; it decides the job run's key, so each cause retrains at most once per key:
 * the weekly cron once per org and week, enough feedback once per org and hour, a person once per request.
 */
export type RetrainTrigger =
  | { kind: "weekly"; week: string }
  | { kind: "feedback"; at: number }
  | { kind: "manual"; requestId: string };

export function retrainRunKey(orgId: string, trigger: RetrainTrigger): string {
  const cause =
    trigger.kind === "weekly"
      ? `weekly:${trigger.week}`
      : trigger.kind === "feedback"
        ? `feedback:${trigger.at - (trigger.at % HOUR_MS)}`
        : `manual:${trigger.requestId}`;
  return `heal-retrain:${orgId}:${cause}`;
}

/**
 * Retrains the org as a recorded job run (`heal-retrain`). Returns the outcome, or null when a run with
 * the same key was already recorded (nothing ran). A failing retraining is recorded as failed and thrown.
 */
export async function retrainAsJob(
  stores: HealingStores,
  orgId: string,
  trigger: RetrainTrigger,
): Promise<RetrainOutcome | null> {
  let outcome: RetrainOutcome | null = null;
  await runJobOnce(stores.db, "heal-retrain", retrainRunKey(orgId, trigger), orgId, async () => {
    const result = await retrainOrg(stores.db, stores.artifacts, stores.cache, orgId);
    outcome = result;
    return {
      status: result.status === "skipped" ? "skipped" : "succeeded",
      counts: { examples: result.examples },
    };
  });
  return outcome;
}

/** Retrains once the org has gathered enough new feedback (at most once per hour). */
export async function retrainIfDue(stores: HealingStores, orgId: string, now: number): Promise<void> {
  if ((await feedbackSinceLastModel(stores.db, orgId)) < RETRAIN_AFTER_FEEDBACK) return;
  await retrainAsJob(stores, orgId, { kind: "feedback", at: now });
}

/** Feedback rows recorded after the org's newest model (all of them when there is none). */
async function feedbackSinceLastModel(db: Db, orgId: string): Promise<number> {
  const since = (await newestModel(db, orgId))?.createdAt ?? 0;
  const rows = await db
    .select({ n: count() })
    .from(healAttempts)
    .where(
      and(
        eq(healAttempts.orgId, orgId),
        isNotNull(healAttempts.feedbackAt),
        gt(healAttempts.feedbackAt, since),
      ),
    );
  return rows[0]?.n ?? 0;
}

/** Orgs with any feedback newer than their last model: the weekly cron retrains these. */
export async function orgsWithNewFeedback(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ orgId: healAttempts.orgId })
    .from(healAttempts)
    .where(isNotNull(healAttempts.feedbackAt));
  const out: string[] = [];
  for (const { orgId } of rows) if ((await feedbackSinceLastModel(db, orgId)) > 0) out.push(orgId);
  return out;
}
