import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { AuditContext } from "../audit/repository.ts";
import { auditedBatch } from "../audit/repository.ts";
import type { RoiAssumptions, RoiAssumptionsState, RoiReport } from "../contract/insight.ts";
import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { ciResults, ciRuns } from "../db/schema/ci.ts";
import { healedLocators } from "../db/schema/healed-locators.ts";
import { insightAssumptions } from "../db/schema/insight.ts";
import { sessionFindings, sessions } from "../db/schema/sessions.ts";
import { projects } from "../db/schema/tenancy.ts";

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
  await auditedBatch(
    db,
    orgId,
    audit,
    { action: "insight.assumptions.set", targetType: "org", targetId: orgId, changes: input },
    () => [
      db
        .insert(insightAssumptions)
        .values(row)
        .onConflictDoUpdate({ target: insightAssumptions.orgId, set: row }),
    ],
  );
  return { ...input, source: "org", updatedAt: now };
}

type Window = { from: number; to: number };

/** Runs in the window that a failing test would have failed, had it not been quarantined. */
async function quarantineSavings(db: Db, orgId: string, projectId: string, w: Window) {
  const r = ciRuns;
  const failing = (quarantined: 0 | 1) => sql`EXISTS (SELECT 1 FROM ${ciResults} x WHERE x.org_id = ${r.orgId}
    AND x.run_id = ${r.id} AND x.status = 'failed' AND x.quarantined = ${quarantined})`;
  const [row] = await db
    .select({ runs: sql<number>`COUNT(*)`, ms: sql<number>`COALESCE(SUM(${r.durationMs}), 0)` })
    .from(r)
    .where(
      and(
        eq(r.orgId, orgId),
        eq(r.projectId, projectId),
        gte(r.createdAt, w.from),
        lt(r.createdAt, w.to),
        failing(1),
        sql`NOT ${failing(0)}`,
      ),
    );
  return { runs: row?.runs ?? 0, minutes: (row?.ms ?? 0) / 60_000 };
}

async function ciUsage(db: Db, orgId: string, projectId: string, w: Window) {
  const r = ciRuns;
  const [row] = await db
    .select({ runs: sql<number>`COUNT(*)`, ms: sql<number>`COALESCE(SUM(${r.durationMs}), 0)` })
    .from(r)
    .where(
      and(eq(r.orgId, orgId), eq(r.projectId, projectId), gte(r.createdAt, w.from), lt(r.createdAt, w.to)),
    );
  return { runs: row?.runs ?? 0, minutes: (row?.ms ?? 0) / 60_000 };
}

async function acceptedHeals(db: Db, orgId: string, projectId: string, w: Window) {
  const h = healedLocators;
  const decided = sql`COALESCE(${h.reviewedAt}, ${h.updatedAt})`;
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(h)
    .where(
      and(
        eq(h.orgId, orgId),
        eq(h.projectId, projectId),
        eq(h.status, "accepted"),
        sql`${decided} >= ${w.from} AND ${decided} < ${w.to}`,
      ),
    );
  return row?.n ?? 0;
}

async function findings(db: Db, orgId: string, projectId: string, w: Window) {
  const f = sessionFindings;
  const rows = await db
    .select({ severity: f.severity, n: sql<number>`COUNT(*)` })
    .from(f)
    .innerJoin(sessions, and(eq(sessions.orgId, f.orgId), eq(sessions.id, f.sessionId)))
    .where(
      and(
        eq(f.orgId, orgId),
        eq(sessions.projectId, projectId),
        gte(f.createdAt, w.from),
        lt(f.createdAt, w.to),
      ),
    )
    .groupBy(f.severity);
  const bySeverity = Object.fromEntries(rows.map((r) => [r.severity, r.n]));
  return { total: rows.reduce((sum, r) => sum + r.n, 0), bySeverity };
}

export async function roiReport(db: Db, orgId: string, projectId: string, w: Window): Promise<RoiReport> {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const [a, heals, quarantine, ci, found] = await Promise.all([
    getAssumptions(db, orgId),
    acceptedHeals(db, orgId, projectId, w),
    quarantineSavings(db, orgId, projectId, w),
    ciUsage(db, orgId, projectId, w),
    findings(db, orgId, projectId, w),
  ]);
  const money = { costPerCiMinute: a.costPerCiMinute, currency: a.currency };
  return {
    ...w,
    projectId,
    heals: {
      accepted: heals,
      hoursSaved: round((heals * a.minutesPerHeal) / 60),
      assumptions: { minutesPerHeal: a.minutesPerHeal },
    },
    quarantine: {
      runsNotRerun: quarantine.runs,
      ciMinutesSaved: round(quarantine.minutes),
      costSaved: round(quarantine.minutes * a.costPerCiMinute),
      assumptions: money,
    },
    ci: {
      runs: ci.runs,
      minutes: round(ci.minutes),
      cost: round(ci.minutes * a.costPerCiMinute),
      assumptions: money,
    },
    findings: found,
    testsGeneratedKept: { value: 0, note: "Test generation is not available yet" },
    aiSpend: { value: 0, note: "No AI spend is metered yet" },
  };
}
