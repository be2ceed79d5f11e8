import { and, eq } from "drizzle-orm";
import { type AuditContext, auditedBatch } from "../../audit/repository.ts";
import type { HealedLocator } from "../../contract/healing.ts";
import { requireInOrg } from "../../db/org-scoped.ts";
import { healedLocators } from "../../db/schema/healed-locators.ts";
import { healAttempts } from "../../db/schema/healing.ts";
import { abortUnlessChanged, isGuardTripped } from "../../db/write-guard.ts";
import { ApiError } from "../../errors.ts";
import { toHealedLocator } from "./locators-repository.ts";
import type { HealingServices } from "./services.ts";

/** How long after approving or rejecting a heal its reviewer may take the decision back (docs/heal-api.md). */
export const HEAL_UNDO_WINDOW_MS = 2 * 60_000;

/**
 * Takes a person's review back: the heal is pending again and the attempt's verdict (written by that
 * review, and only that one) is cleared, so retraining no longer counts it. Only the reviewer, and only
 * within HEAL_UNDO_WINDOW_MS; an automatic acceptance has no one to undo it (409).
 */
export async function undoHealReview(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
  healId: string,
): Promise<HealedLocator> {
  const { db } = services;
  const heal = await requireInOrg(db, healedLocators, orgId, healId, "Healed locator");
  if (heal.status === "pending" || heal.autoAccepted || heal.reviewedAt === null) {
    throw new ApiError("conflict", "This heal has no review to undo");
  }
  if (heal.reviewedBy !== ctx.actor.id) {
    throw new ApiError("conflict", "Only the person who reviewed a heal can undo the review");
  }
  const { reviewedAt } = heal;
  const now = services.clock();
  if (now - reviewedAt > HEAL_UNDO_WINDOW_MS) {
    throw new ApiError("conflict", "The review can no longer be undone: the undo window has closed");
  }
  await writeUndo(services, orgId, ctx, { heal, reviewedAt }, now);
  return toHealedLocator({
    ...heal,
    status: "pending",
    reviewedBy: null,
    reviewedAt: null,
    reviewNote: null,
    updatedAt: now,
  });
}

/**
 * The undo's writes, made only if the heal is still as `read.heal` (the snapshot the checks read): a review
 * made since then (by another tab, or after another undo) stays, and nothing is written or audited (409).
 */
export async function writeUndo(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
  read: { heal: typeof healedLocators.$inferSelect; reviewedAt: number },
  now: number,
): Promise<void> {
  const { db } = services;
  const { heal, reviewedAt } = read;
  try {
    await auditedBatch(
      db,
      orgId,
      ctx,
      {
        action: "heal.review.undo",
        targetType: "healed_locator",
        targetId: heal.id,
        changes: { from: heal.status, to: "pending" },
      },
      () => [
        db
          .update(healedLocators)
          .set({ status: "pending", reviewedBy: null, reviewedAt: null, reviewNote: null, updatedAt: now })
          .where(
            and(
              eq(healedLocators.orgId, orgId),
              eq(healedLocators.id, heal.id),
              eq(healedLocators.status, heal.status),
              eq(healedLocators.reviewedAt, reviewedAt),
            ),
          ),
        abortUnlessChanged(db),
        db
          .update(healAttempts)
          .set({
            feedbackAccepted: null,
            feedbackCorrectIndex: null,
            feedbackCorrectSelector: null,
            feedbackAt: null,
            feedbackBy: null,
          })
          .where(
            and(
              eq(healAttempts.orgId, orgId),
              eq(healAttempts.id, heal.attemptId),
              eq(healAttempts.feedbackAt, reviewedAt),
            ),
          ),
      ],
    );
  } catch (error) {
    if (isGuardTripped(error))
      throw new ApiError("conflict", "The heal was reviewed again meanwhile: reload it");
    throw error;
  }
}
