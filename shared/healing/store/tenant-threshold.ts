import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { healAttempts } from "../../db/schema/healing.ts";
import { type ThresholdFeedback, tenantThreshold, withTenantThreshold } from "../tenant.ts";
import type { HealingModel } from "../types.ts";
import { activeModel } from "./models-repository.ts";

/** The newest verdicts a threshold is learned from (enough for a tight bound, bounded cost). */
const MAX_FEEDBACK = 2000;
/** Per-isolate memo, like the active model's (models-repository.ts); a verdict here forgets it at once. */
const MEMO_MS = 10_000;
const memo = new Map<string, { base: HealingModel; model: HealingModel; until: number }>();

type VerdictRow = Pick<
  typeof healAttempts.$inferSelect,
  | "healed"
  | "confidence"
  | "suggestionIndex"
  | "suggestionSelector"
  | "suggestionConfidence"
  | "feedbackAccepted"
  | "feedbackCorrectIndex"
  | "feedbackCorrectSelector"
>;

/**
 * What one verdict says about the engine's top pick at the confidence it gave: a heal's verdict is
 * its acceptance; an abstention's is whether the reviewer named the suggested element as the right
 * one (approved it, or corrected to it). An abstention without a suggestion says nothing.
 */
export function thresholdFeedbackOf(row: VerdictRow): ThresholdFeedback | null {
  if (row.healed) return { confidence: row.confidence, accepted: !!row.feedbackAccepted };
  if (row.suggestionConfidence === null) return null;
  const named =
    (row.feedbackCorrectIndex !== null && row.feedbackCorrectIndex === row.suggestionIndex) ||
    (row.feedbackCorrectSelector !== null && row.feedbackCorrectSelector === row.suggestionSelector);
  return { confidence: row.suggestionConfidence, accepted: named };
}

/**
 * The model the org heals with: its active weights and the abstention threshold learned from its own
 * verdicts (shared/healing/tenant.ts), which keeps wrong heals within the 2 % budget with a
 * confidence bound and falls back to the model's threshold until there is enough feedback.
 */
export async function tenantModel(db: Db, cache: KVNamespace, orgId: string): Promise<HealingModel> {
  const base = await activeModel(db, cache, orgId);
  const memoised = memo.get(orgId);
  // A newly activated model invalidates the memo: the threshold was learned against the old one.
  if (memoised && memoised.base === base && memoised.until > Date.now()) return memoised.model;
  const rows = await db
    .select({
      healed: healAttempts.healed,
      confidence: healAttempts.confidence,
      suggestionIndex: healAttempts.suggestionIndex,
      suggestionSelector: healAttempts.suggestionSelector,
      suggestionConfidence: healAttempts.suggestionConfidence,
      feedbackAccepted: healAttempts.feedbackAccepted,
      feedbackCorrectIndex: healAttempts.feedbackCorrectIndex,
      feedbackCorrectSelector: healAttempts.feedbackCorrectSelector,
    })
    .from(healAttempts)
    // Only verdicts on this model's answers: another model's confidences are on another scale (a
    // promoted model must not inherit the strict threshold its predecessor's mistakes earned).
    .where(
      and(
        eq(healAttempts.orgId, orgId),
        eq(healAttempts.modelVersion, base.version),
        isNotNull(healAttempts.feedbackAt),
      ),
    )
    .orderBy(desc(healAttempts.feedbackAt))
    .limit(MAX_FEEDBACK);
  const feedback = rows.map(thresholdFeedbackOf).filter((f): f is ThresholdFeedback => f !== null);
  const model = withTenantThreshold(base, tenantThreshold(feedback, base));
  if (memo.size > 1000) memo.clear();
  memo.set(orgId, { base, model, until: Date.now() + MEMO_MS });
  return model;
}

/** Called with every verdict, so this isolate's next heal sees the threshold it implies. */
export function forgetTenantThreshold(orgId: string): void {
  memo.delete(orgId);
}
