import type { LeadStatus } from "../contract/pipeline.ts";
import type { Db } from "../db/client.ts";
import { ApiError } from "../errors.ts";
import { chooseVariant, type Rng } from "./bandit.ts";
import {
  type ArmRow,
  armsOf,
  type ContactRow,
  contactStatements,
  type ExperimentRow,
  ensureArms,
  freshArms,
  type Statement,
} from "./repository.ts";
import type { LeadRow } from "./rows.ts";

/** The experiment a lead's outreach comes from: the newest active one that targets its persona. */
export function experimentFor(lead: LeadRow, active: readonly ExperimentRow[]): ExperimentRow | null {
  return (
    active.find((e) => !e.personas || (lead.persona !== null && e.personas.includes(lead.persona))) ?? null
  );
}

export const segmentOf = (experiment: ExperimentRow, lead: LeadRow) =>
  experiment.perPersona ? (lead.persona ?? "other") : "*";

/**
 * Arms of one (experiment, segment), read once per batch and counted forward in memory, so the
 * choices within a batch already see the sends before them.
 */
export class ArmCache {
  private readonly cache = new Map<string, ArmRow[]>();
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async get(experiment: ExperimentRow, segment: string): Promise<ArmRow[]> {
    const key = `${experiment.id}:${segment}`;
    let arms = this.cache.get(key);
    if (!arms) {
      const stored = await armsOf(this.db, experiment.id, segment);
      arms = freshArms(experiment, segment).map(
        (fresh) => stored.find((a) => a.variantKey === fresh.variantKey) ?? fresh,
      );
      this.cache.set(key, arms);
    }
    return arms;
  }
}

export type ContactPlan = { variantKey: string; segment: string; row: ContactRow; lead: LeadRow };

/**
 * Chooses the variant for one lead (Thompson sampling, or `forcedKey`) and counts the send forward in
 * `arms`, so the next choice of the same batch sees it. Nothing is written: recordContacts does that.
 */
export async function planContact(
  lead: LeadRow,
  experiment: ExperimentRow,
  arms: ArmCache,
  rng: Rng,
  now: number,
  options: { forcedKey?: string; mode: "record" | "deliver"; actor?: string },
): Promise<ContactPlan> {
  const segment = segmentOf(experiment, lead);
  const current = await arms.get(experiment, segment);
  let variantKey = options.forcedKey;
  if (variantKey !== undefined && !experiment.variants.some((v) => v.key === variantKey)) {
    throw new ApiError("unprocessable", `Experiment ${experiment.id} has no variant ${variantKey}`, {
      errors: [{ path: "variantKey", message: "unknown variant" }],
    });
  }
  variantKey ??= chooseVariant(
    current.map((a) => ({ key: a.variantKey, sends: a.sends, conversions: a.conversions })),
    rng,
  );
  const arm = current.find((a) => a.variantKey === variantKey);
  if (arm) arm.sends += 1;
  const ref = { experimentId: experiment.id, variantKey, segment };
  const data = {
    ...ref,
    mode: options.mode,
    ...(options.forcedKey || options.actor ? { forced: true } : {}),
  };
  const contacted: LeadRow = {
    ...lead,
    ...ref,
    status: "contacted",
    snoozedUntil: null,
    contactedAt: now,
    updatedAt: now,
  };
  return { variantKey, segment, lead: contacted, row: { id: lead.id, ...ref, data } };
}

/**
 * The statements that record planned contacts, one batch whatever their number: the segments' arms
 * where missing, then contactStatements (sends, timeline rows, moves), each guarded by the lead still
 * being in `from`, so a batch applied twice counts every send once.
 */
export function recordContacts(
  db: Db,
  orgId: string,
  plans: { experiment: ExperimentRow; plan: ContactPlan }[],
  from: LeadStatus[],
  now: number,
): Statement[] {
  if (plans.length === 0) return [];
  const segments = new Map<string, Statement>();
  for (const { experiment, plan } of plans) {
    const key = `${experiment.id}:${plan.segment}`;
    if (!segments.has(key)) segments.set(key, ensureArms(db, experiment, plan.segment));
  }
  return [
    ...segments.values(),
    ...contactStatements(
      db,
      orgId,
      plans.map((p) => p.plan.row),
      from,
      now,
    ),
  ];
}
