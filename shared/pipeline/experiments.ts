import { eq } from "drizzle-orm";
import { type AuditContext, auditedBatch, auditedUpsert } from "../audit/repository.ts";
import type {
  CreateExperimentInput,
  Experiment,
  ExperimentListQuery,
  ExperimentStatus,
} from "../contract/pipeline.ts";
import type { Db } from "../db/client.ts";
import { pageMatching, requireInOrg } from "../db/org-scoped.ts";
import { experiments, pipelineSettings } from "../db/schema/pipeline.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import { posterior, probabilityBest } from "./bandit.ts";
import { type ArmRow, armsOf, type ExperimentRow, ensureArms } from "./repository.ts";

export async function createExperiment(
  db: Db,
  orgId: string,
  input: CreateExperimentInput,
  audit: AuditContext,
  now: number,
) {
  const row: ExperimentRow = {
    id: newId("exp", now),
    orgId,
    name: input.name,
    status: "active",
    variants: input.variants,
    personas: input.personas ? [...new Set(input.personas)] : null,
    perPersona: input.perPersona ?? false,
    createdAt: now,
    updatedAt: now,
  };
  await auditedBatch(
    db,
    orgId,
    audit,
    {
      action: "experiment.create",
      targetType: "experiment",
      targetId: row.id,
      changes: { name: row.name, variants: input.variants.map((v) => v.key) },
    },
    () => [db.insert(experiments).values(row), ensureArms(db, row, "*")],
  );
  return { id: row.id };
}

/** Variant stats summed over segments: sends, conversions, the Beta posterior and P(best). */
export function experimentView(row: ExperimentRow, arms: ArmRow[]): Experiment {
  const totals = row.variants.map((v) => {
    const mine = arms.filter((a) => a.variantKey === v.key);
    const sends = mine.reduce((n, a) => n + a.sends, 0);
    const conversions = mine.reduce((n, a) => n + a.conversions, 0);
    return { ...v, sends, conversions };
  });
  const best = probabilityBest(totals);
  const { orgId: _org, ...rest } = row;
  return {
    ...rest,
    variants: totals.map((t) => ({ ...t, ...posterior(t), probabilityBest: best[t.key] ?? 0 })),
  };
}

export async function getExperiment(db: Db, orgId: string, id: string): Promise<Experiment> {
  const row = await requireInOrg(db, experiments, orgId, id, "Experiment");
  return experimentView(row, await armsOf(db, id));
}

export async function listExperiments(db: Db, orgId: string, query: ExperimentListQuery) {
  const { items, nextCursor } = await pageMatching(db, experiments, orgId, query, { status: query.status });
  const views = await Promise.all(items.map(async (row) => experimentView(row, await armsOf(db, row.id))));
  return { items: views, nextCursor };
}

const NEXT: Record<"pause" | "resume" | "stop", { to: ExperimentStatus; from: ExperimentStatus[] }> = {
  pause: { to: "paused", from: ["active"] },
  resume: { to: "active", from: ["paused"] },
  stop: { to: "stopped", from: ["active", "paused"] },
};

export async function changeExperimentStatus(
  db: Db,
  orgId: string,
  id: string,
  action: keyof typeof NEXT,
  audit: AuditContext,
  now: number,
): Promise<Experiment> {
  const row = await requireInOrg(db, experiments, orgId, id, "Experiment");
  const { to, from } = NEXT[action];
  if (!from.includes(row.status))
    throw new ApiError("conflict", `A ${row.status} experiment cannot ${action}`);
  await auditedBatch(
    db,
    orgId,
    audit,
    {
      action: `experiment.${action}`,
      targetType: "experiment",
      targetId: id,
      changes: { from: row.status, to },
    },
    () => [db.update(experiments).set({ status: to, updatedAt: now }).where(eq(experiments.id, id))],
  );
  return experimentView({ ...row, status: to, updatedAt: now }, await armsOf(db, id));
}

export async function setThreshold(
  db: Db,
  orgId: string,
  threshold: number,
  audit: AuditContext,
  now: number,
) {
  await auditedUpsert(
    db,
    orgId,
    audit,
    pipelineSettings,
    { orgId, threshold, updatedAt: now },
    { target: pipelineSettings.orgId, set: { threshold, updatedAt: now } },
    { action: "pipeline.settings", targetType: "pipeline_settings", targetId: orgId, changes: { threshold } },
  );
  return { threshold };
}
