import type { AuditContext } from "../../audit/repository.ts";
import type { HealAttempt, SuggestionReview } from "../../contract/healing.ts";
import { requireInOrg } from "../../db/org-scoped.ts";
import { healAttempts } from "../../db/schema/healing.ts";
import { ApiError } from "../../errors.ts";
import { toAttempt } from "./attempts.ts";
import type { AttemptVerdict } from "./attempts-repository.ts";
import { type ReviewDecision, saveVerdict } from "./feedback.ts";
import type { HealingServices } from "./services.ts";

/**
 * A person's verdict on the best guess of an abstaining heal (docs/heal-review.md). Approving says the
 * suggested element was the right one: it is stored as accepted feedback naming that element (its
 * index, or its selector in the DOM form), so retraining gets a labelled example and the tenant's
 * threshold (shared/healing/tenant.ts) learns that answers at this confidence can be right. Rejecting
 * says the guess was wrong: the label is the element the reviewer names, else "abstaining was right".
 * Nothing is healed retroactively: the answer the client got stays what it was.
 */
export async function reviewSuggestion(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
  attemptId: string,
  decision: ReviewDecision,
  body: SuggestionReview,
): Promise<{ attempt: HealAttempt; retraining: Promise<void> }> {
  const { db } = services;
  const row = await requireInOrg(db, healAttempts, orgId, attemptId, "Heal attempt");
  if (row.healed || row.suggestionConfidence === null) {
    throw new ApiError(
      "conflict",
      "This attempt has no suggestion to review (it healed, or nothing was ranked)",
    );
  }
  if (decision === "approve" && body.correctSelector !== undefined) {
    throw new ApiError("unprocessable", "Approving takes no correction; reject with correctSelector instead");
  }
  const at = services.clock();
  const verdict: AttemptVerdict =
    decision === "approve"
      ? {
          accepted: true,
          correctIndex: row.form === "candidates" ? row.suggestionIndex : null,
          correctSelector: row.form === "dom" ? row.suggestionSelector : null,
          by: ctx.actor.id,
          at,
        }
      : {
          accepted: false,
          correctIndex: null,
          correctSelector: body.correctSelector ?? null,
          by: ctx.actor.id,
          at,
        };
  const { retraining } = await saveVerdict(services, orgId, ctx, attemptId, verdict, {
    action: `heal.suggestion.${decision}`,
    changes: {
      suggestion: row.suggestionSelector ?? row.suggestionIndex,
      confidence: row.suggestionConfidence,
      correctSelector: body.correctSelector,
    },
  });
  const attempt = toAttempt({
    ...row,
    feedbackAccepted: verdict.accepted,
    feedbackCorrectIndex: verdict.correctIndex,
    feedbackCorrectSelector: verdict.correctSelector,
    feedbackAt: at,
    feedbackBy: verdict.by,
  });
  return { attempt, retraining };
}
