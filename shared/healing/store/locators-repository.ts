import { and, eq } from "drizzle-orm";
import type { HealedLocator, HealStatus, RecordHeal } from "../../contract/healing.ts";
import type { Db } from "../../db/client.ts";
import { findProjectRow, firstInOrg, matching } from "../../db/org-scoped.ts";
import { healedLocators, healSettings } from "../../db/schema/healed-locators.ts";
import { recordVerdictStatement } from "./attempts-repository.ts";

/**
 * Healed locators ("heal once, reuse"): what the SDK healed in a run, the review queue, and the
 * accepted map later runs use directly instead of healing again.
 */

/** Above this confidence a recorded heal is accepted without review, unless the project says otherwise. */
export const DEFAULT_AUTO_ACCEPT_THRESHOLD = 0.95;

export type HealedLocatorRow = typeof healedLocators.$inferSelect;

/** Splits `file:line:column` (the file part may itself contain colons, e.g. on Windows). */
function parseLocation(location: string): { file: string; line: number; column: number } {
  const match = /^(.*):(\d+):(\d+)$/.exec(location);
  if (!match) throw new Error(`not a file:line:column location: ${location}`);
  return { file: match[1]!, line: Number(match[2]), column: Number(match[3]) };
}

/** Auto-accepted at or above the project's threshold; everything else waits for a person. */
function initialStatus(confidence: number, threshold: number): HealStatus {
  return confidence >= threshold ? "accepted" : "pending";
}

/** The project's stored settings row, if it ever saved one. */
export function findHealSettings(db: Db, orgId: string, projectId: string) {
  return findProjectRow(db, healSettings, orgId, projectId);
}

export async function loadAutoAcceptThreshold(db: Db, orgId: string, projectId: string): Promise<number> {
  return (await findHealSettings(db, orgId, projectId))?.autoAcceptThreshold ?? DEFAULT_AUTO_ACCEPT_THRESHOLD;
}

export function saveHealSettingsStatement(
  db: Db,
  orgId: string,
  projectId: string,
  autoAcceptThreshold: number,
  now: number,
) {
  return db
    .insert(healSettings)
    .values({ projectId, orgId, autoAcceptThreshold, updatedAt: now })
    .onConflictDoUpdate({
      target: healSettings.projectId,
      set: { autoAcceptThreshold, updatedAt: now },
      setWhere: eq(healSettings.orgId, orgId),
    });
}

/** The same heal (same selectors at the same place) recorded before, if any. */
export async function findSameHeal(
  db: Db,
  orgId: string,
  projectId: string,
  input: RecordHeal,
): Promise<HealedLocatorRow | null> {
  const at = parseLocation(input.location);
  return firstInOrg(
    db,
    healedLocators,
    orgId,
    ...matching(healedLocators, {
      projectId,
      originalSelector: input.originalSelector,
      healedSelector: input.healedSelector,
      sourceFile: at.file,
      sourceLine: at.line,
      sourceColumn: at.column,
    }),
  );
}

/** A new row for a first-seen heal. */
export function newHealRow(
  id: string,
  orgId: string,
  projectId: string,
  input: RecordHeal,
  threshold: number,
  now: number,
): HealedLocatorRow {
  const at = parseLocation(input.location);
  const status = initialStatus(input.confidence, threshold);
  return {
    id,
    orgId,
    projectId,
    status,
    autoAccepted: status === "accepted",
    testFile: input.testFile,
    testTitle: input.testTitle,
    sourceFile: at.file,
    sourceLine: at.line,
    sourceColumn: at.column,
    originalSelector: input.originalSelector,
    healedSelector: input.healedSelector,
    healedLocator: input.healedLocator ?? null,
    confidence: input.confidence,
    attemptId: input.attemptId,
    runId: input.runId ?? null,
    occurrences: 1,
    reviewedBy: null,
    reviewedAt: null,
    reviewNote: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The review decision as statements: the heal's status and the attempt's feedback (for retraining). */
export function reviewStatements(
  db: Db,
  orgId: string,
  heal: HealedLocatorRow,
  decision: { accepted: boolean; by: string; note?: string; correctSelector?: string },
  now: number,
) {
  return [
    db
      .update(healedLocators)
      .set({
        status: decision.accepted ? "accepted" : "rejected",
        autoAccepted: false,
        reviewedBy: decision.by,
        reviewedAt: now,
        reviewNote: decision.note ?? null,
        updatedAt: now,
      })
      .where(and(eq(healedLocators.orgId, orgId), eq(healedLocators.id, heal.id))),
    recordVerdictStatement(db, orgId, heal.attemptId, {
      accepted: decision.accepted,
      correctIndex: null,
      correctSelector: decision.accepted ? null : (decision.correctSelector ?? null),
      by: decision.by,
      at: now,
    }),
  ] as const;
}

export function toHealedLocator(row: HealedLocatorRow): HealedLocator {
  return {
    id: row.id,
    projectId: row.projectId,
    status: row.status,
    autoAccepted: row.autoAccepted,
    testFile: row.testFile,
    testTitle: row.testTitle,
    location: `${row.sourceFile}:${row.sourceLine}:${row.sourceColumn}`,
    originalSelector: row.originalSelector,
    healedSelector: row.healedSelector,
    healedLocator: row.healedLocator,
    confidence: row.confidence,
    attemptId: row.attemptId,
    runId: row.runId,
    occurrences: row.occurrences,
    reviewedBy: row.reviewedBy,
    reviewedAt: row.reviewedAt,
    reviewNote: row.reviewNote,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
