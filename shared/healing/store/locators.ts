import { type AuditContext, auditedBatch, auditedInsert, auditedUpdate } from "../../audit/repository.ts";
import type {
  HealedLocator,
  HealReview,
  HealSettings,
  HealStatus,
  RecordHeal,
} from "../../contract/healing.ts";
import { isUniqueViolation } from "../../db/client.ts";
import { pageMatching, requireInOrg } from "../../db/org-scoped.ts";
import { ciRuns } from "../../db/schema/ci.ts";
import { healedLocators } from "../../db/schema/healed-locators.ts";
import { healAttempts } from "../../db/schema/healing.ts";
import { projects } from "../../db/schema/tenancy.ts";
import { ApiError, notFound } from "../../errors.ts";
import { newId } from "../../ids.ts";
import { mapPage } from "../../pagination.ts";
import { afterVerdict, type ReviewDecision } from "./feedback.ts";
import {
  DEFAULT_AUTO_ACCEPT_THRESHOLD,
  findHealSettings,
  findSameHeal,
  type HealedLocatorRow,
  loadAutoAcceptThreshold,
  newHealRow,
  reviewStatements,
  saveHealSettingsStatement,
  toHealedLocator,
} from "./locators-repository.ts";
import type { HealingServices } from "./services.ts";

type Db = HealingServices["db"];

/** The project's healed locators: the review queue (pending) and the accepted map later runs reuse. */
export async function listHeals(
  db: Db,
  orgId: string,
  projectId: string,
  query: { status?: HealStatus; cursor?: string; limit: number },
): Promise<{ items: HealedLocator[]; nextCursor: string | null }> {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const page = await pageMatching(db, healedLocators, orgId, query, { projectId, status: query.status });
  return mapPage(page, toHealedLocator);
}

/**
 * Records a heal made during a test run: accepted at once at or above the project's auto-accept
 * threshold, else pending review. The same heal recorded again counts an occurrence (`created: false`).
 */
export async function recordHeal(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  projectId: string,
  heal: RecordHeal,
  now: number,
): Promise<{ locator: HealedLocator; created: boolean }> {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  await checkReferences(db, orgId, projectId, heal);
  const existing = await findSameHeal(db, orgId, projectId, heal);
  if (existing)
    return { locator: await countOccurrence(db, orgId, ctx, existing, heal, now), created: false };
  const threshold = await loadAutoAcceptThreshold(db, orgId, projectId);
  const row = newHealRow(newId("hlc", now), orgId, projectId, heal, threshold, now);
  try {
    await auditedInsert(db, orgId, ctx, healedLocators, row, {
      action: "heal.record",
      targetType: "healed_locator",
      changes: {
        originalSelector: row.originalSelector,
        healedSelector: row.healedSelector,
        confidence: row.confidence,
        status: row.status,
      },
    });
  } catch (error) {
    // Two workers recorded the same heal at once: the other insert won; answer with its row.
    if (!isUniqueViolation(error, "healed_locators")) throw error;
    const winner = await findSameHeal(db, orgId, projectId, heal);
    if (!winner) throw error;
    return { locator: toHealedLocator(winner), created: false };
  }
  return { locator: toHealedLocator(row), created: true };
}

/** The heal's attempt must be the org's (and not another project's); its run, if named, the project's. */
async function checkReferences(db: Db, orgId: string, projectId: string, heal: RecordHeal) {
  const attempt = await requireInOrg(db, healAttempts, orgId, heal.attemptId, "Heal attempt");
  if (attempt.projectId !== null && attempt.projectId !== projectId) {
    throw new ApiError("unprocessable", "The heal attempt belongs to another project");
  }
  if (heal.runId) {
    const run = await requireInOrg(db, ciRuns, orgId, heal.runId, "Run");
    if (run.projectId !== projectId) throw notFound("Run");
  }
}

async function countOccurrence(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  existing: HealedLocatorRow,
  heal: RecordHeal,
  now: number,
): Promise<HealedLocator> {
  const updated = {
    ...existing,
    occurrences: existing.occurrences + 1,
    runId: heal.runId ?? existing.runId,
    updatedAt: now,
  };
  await auditedUpdate(
    db,
    orgId,
    ctx,
    healedLocators,
    existing.id,
    { occurrences: updated.occurrences, runId: updated.runId, updatedAt: now },
    { action: "heal.record", targetType: "healed_locator", changes: { occurrences: updated.occurrences } },
  );
  return toHealedLocator(updated);
}

/**
 * Approves (later runs reuse it) or rejects (they never do) a healed locator. The decision is also the
 * attempt's feedback, so retraining learns from it; `retraining` settles once a due retraining ran.
 */
export async function reviewHeal(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
  healId: string,
  decision: ReviewDecision,
  review: HealReview,
): Promise<{ locator: HealedLocator; retraining: Promise<void> }> {
  const { db } = services;
  const heal = await requireInOrg(db, healedLocators, orgId, healId, "Healed locator");
  const accepted = decision === "approve";
  if (accepted && review.correctSelector !== undefined) {
    throw new ApiError("unprocessable", "correctSelector goes with reject, not approve");
  }
  const now = services.clock();
  const by = ctx.actor.id;
  const status = accepted ? "accepted" : "rejected";
  await auditedBatch(
    db,
    orgId,
    ctx,
    {
      action: accepted ? "heal.approve" : "heal.reject",
      targetType: "healed_locator",
      targetId: heal.id,
      changes: { from: heal.status, to: status, note: review.note ?? null },
    },
    () => [...reviewStatements(db, orgId, heal, { accepted, by, ...review }, now)],
  );
  const reviewed = {
    ...heal,
    status,
    autoAccepted: false,
    reviewedBy: by,
    reviewedAt: now,
    reviewNote: review.note ?? null,
    updatedAt: now,
  } as const;
  return { locator: toHealedLocator(reviewed), retraining: afterVerdict(services, orgId) };
}

export async function healSettingsOf(db: Db, orgId: string, projectId: string): Promise<HealSettings> {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const row = await findHealSettings(db, orgId, projectId);
  return {
    projectId,
    autoAcceptThreshold: row?.autoAcceptThreshold ?? DEFAULT_AUTO_ACCEPT_THRESHOLD,
    updatedAt: row?.updatedAt ?? null,
  };
}

export async function saveHealSettings(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  projectId: string,
  autoAcceptThreshold: number,
  now: number,
): Promise<HealSettings> {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  await auditedBatch(
    db,
    orgId,
    ctx,
    {
      action: "heal.settings.update",
      targetType: "project",
      targetId: projectId,
      changes: { autoAcceptThreshold },
    },
    () => [saveHealSettingsStatement(db, orgId, projectId, autoAcceptThreshold, now)],
  );
  return { projectId, autoAcceptThreshold, updatedAt: now };
}
