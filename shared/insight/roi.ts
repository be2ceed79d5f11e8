import { eq } from "drizzle-orm";
import type { AuditContext } from "../audit/repository.ts";
import { auditedUpsert } from "../audit/repository.ts";
import type { RoiAssumptions, RoiAssumptionsState, RoiReport } from "../contract/insight.ts";
import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { insightAssumptions } from "../db/schema/insight.ts";
import { projects } from "../db/schema/tenancy.ts";
import { cachedInsight } from "./cache.ts";
import { ciFromRollups } from "./rollup-ci.ts";

/**
 * ROI of a project over a window (docs/insight.md): what accepted heals and quarantined flaky tests
 * saved, what CI cost, what manual sessions found — always returned with the assumptions behind each
 * figure, since they are estimates.
 */

/**
 * Defaults until an organisation sets its own: a quarter hour to diagnose and fix a broken locator by
 * hand, and the list price of a 2-core Linux CI runner minute.
 */
export const DEFAULT_ASSUMPTIONS: RoiAssumptions = {
  minutesPerHeal: 15,
  costPerCiMinute: 0.008,
  currency: "USD",
};

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function getAssumptions(db: Db, orgId: string): Promise<RoiAssumptionsState> {
  const [row] = await db
    .select()
    .from(insightAssumptions)
    .where(eq(insightAssumptions.orgId, orgId))
    .limit(1);
  if (!row) return { ...DEFAULT_ASSUMPTIONS, source: "default", updatedAt: null };
  const { minutesPerHeal, costPerCiMinute, currency, updatedAt } = row;
  return { minutesPerHeal, costPerCiMinute, currency, source: "org", updatedAt };
}

export async function setAssumptions(
  db: Db,
  orgId: string,
  audit: AuditContext,
  input: RoiAssumptions,
  now: number,
): Promise<RoiAssumptionsState> {
  const row = { orgId, ...input, updatedAt: now };
  await auditedUpsert(
    db,
    orgId,
    audit,
    insightAssumptions,
    row,
    { target: insightAssumptions.orgId, set: row },
    { action: "insight.assumptions.set", targetType: "org", targetId: orgId, changes: input },
  );
  return { ...input, source: "org", updatedAt: now };
}

type Window = { from: number; to: number };

/** ROI over an hour-aligned window from the CI rollups (./rollup-ci.ts), cached in KV per generation. */
export async function roiReport(
  db: Db,
  kv: KVNamespace,
  orgId: string,
  projectId: string,
  w: Window,
): Promise<RoiReport> {
  // The project check runs alongside the reads; the totals are computed only for the org's project.
  const checked = requireInOrg(db, projects, orgId, projectId, "Project");
  const [, a, t] = await Promise.all([
    checked,
    getAssumptions(db, orgId),
    cachedInsight(kv, db, orgId, `roi:${projectId}:${w.from}:${w.to}`, async () => {
      await checked;
      return (await ciFromRollups(db, orgId, projectId, w)).totals;
    }),
  ]);
  const ciMinutes = t.runMs / 60_000;
  const savedMinutes = t.savedMs / 60_000;
  const money = { costPerCiMinute: a.costPerCiMinute, currency: a.currency };
  return {
    ...w,
    projectId,
    heals: {
      accepted: t.healsAccepted,
      hoursSaved: round((t.healsAccepted * a.minutesPerHeal) / 60),
      assumptions: { minutesPerHeal: a.minutesPerHeal },
    },
    quarantine: {
      runsNotRerun: t.savedRuns,
      ciMinutesSaved: round(savedMinutes),
      costSaved: round(savedMinutes * a.costPerCiMinute),
      assumptions: money,
    },
    ci: {
      runs: t.runs,
      minutes: round(ciMinutes),
      cost: round(ciMinutes * a.costPerCiMinute),
      assumptions: money,
    },
    findings: { total: Object.values(t.findings).reduce((sum, n) => sum + n, 0), bySeverity: t.findings },
    testsGeneratedKept: { value: 0, note: "Test generation is not available yet" },
    aiSpend: { value: 0, note: "No AI spend is metered yet" },
  };
}
