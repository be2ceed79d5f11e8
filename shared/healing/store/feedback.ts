import { type AuditContext, auditedBatch } from "../../audit/repository.ts";
import type { HealFeedback, HealFeedbackRequest } from "../../contract/healing.ts";
import { requireInOrg } from "../../db/org-scoped.ts";
import { healAttempts } from "../../db/schema/healing.ts";
import { ApiError } from "../../errors.ts";
import { type AttemptVerdict, type HealAttemptRow, recordVerdictStatement } from "./attempts-repository.ts";
import { retrainIfDue } from "./retraining-jobs.ts";
import type { HealingServices } from "./services.ts";
import { forgetTenantThreshold } from "./tenant-threshold.ts";

/** A person's verdict on what healing proposed: a healed locator, or an abstaining heal's suggestion. */
export type ReviewDecision = "approve" | "reject";

/**
 * Records whether a heal was right. A person's verdict trains the tenant's model, so it is audited like
 * any other decision; `retraining` settles once a retraining that enough feedback makes due has run.
 */
export async function recordFeedback(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
  attemptId: string,
  feedback: HealFeedbackRequest,
): Promise<{ recorded: HealFeedback; retraining: Promise<void> }> {
  const { db } = services;
  const attempt = await requireInOrg(db, healAttempts, orgId, attemptId, "Heal attempt");
  checkFeedback(attempt, feedback);
  const verdict = {
    accepted: feedback.accepted,
    correctIndex: feedback.correctIndex ?? null,
    correctSelector: feedback.correctSelector ?? null,
  };
  const { retraining } = await saveVerdict(
    services,
    orgId,
    ctx,
    attemptId,
    { ...verdict, by: ctx.actor.id, at: services.clock() },
    {
      action: "heal.feedback",
      changes: {
        accepted: feedback.accepted,
        correctIndex: feedback.correctIndex,
        correctSelector: feedback.correctSelector,
      },
    },
  );
  return { recorded: { attemptId, ...verdict }, retraining };
}

/**
 * Stores a person's verdict on an attempt and its audit row (target: the attempt) in one batch.
 * `retraining` settles once a retraining the verdict makes due has run (see afterVerdict).
 */
export async function saveVerdict(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
  attemptId: string,
  verdict: AttemptVerdict,
  entry: { action: string; changes: Record<string, unknown> },
): Promise<{ retraining: Promise<void> }> {
  const { db } = services;
  await auditedBatch(db, orgId, ctx, { ...entry, targetType: "heal_attempt", targetId: attemptId }, () => [
    recordVerdictStatement(db, orgId, attemptId, verdict),
  ]);
  return { retraining: afterVerdict(services, orgId) };
}

/** A correction must fit the attempt's form and size, and an accepted heal needs none. */
export function checkFeedback(
  attempt: Pick<HealAttemptRow, "form" | "candidateCount">,
  feedback: HealFeedbackRequest,
): void {
  if (feedback.correctIndex !== undefined) {
    if (attempt.form !== "candidates") {
      throw new ApiError(
        "unprocessable",
        "correctIndex applies to the candidates form; send correctSelector",
      );
    }
    if (feedback.correctIndex >= attempt.candidateCount) {
      throw new ApiError(
        "unprocessable",
        `correctIndex must be below ${attempt.candidateCount} (the number of candidates)`,
      );
    }
  }
  if (feedback.accepted && (feedback.correctIndex !== undefined || feedback.correctSelector !== undefined)) {
    throw new ApiError(
      "unprocessable",
      "An accepted heal needs no correction; send accepted:false with the correct element",
    );
  }
}

/**
 * What follows every verdict: this isolate forgets the org's learned threshold (the next heal sees the
 * verdict), and retraining runs if due. Retraining never fails the request that gave the verdict: a
 * failure is logged.
 */
export function afterVerdict(services: HealingServices, orgId: string): Promise<void> {
  forgetTenantThreshold(orgId);
  return retrainIfDue(services, orgId, services.clock()).catch((error: unknown) =>
    services.logger.error("retraining failed", { orgId, error: String(error) }),
  );
}
