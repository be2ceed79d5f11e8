import type { LeadStatus } from "../contract/pipeline.ts";
import type { Db } from "../db/client.ts";
import { ApiError } from "../errors.ts";
import { chooseVariant, type Rng } from "./bandit.ts";
import {
  type ArmRow,
  armsOf,
  bumpArm,
  type ExperimentRow,
  ensureArms,
  leadEvent,
  moveLead,
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
      arms = experiment.variants.map(
        (v) =>
          stored.find((a) => a.variantKey === v.key) ?? {
            orgId: experiment.orgId,
            experimentId: experiment.id,
            variantKey: v.key,
            segment,
            sends: 0,
            conversions: 0,
          },
      );
      this.cache.set(key, arms);
    }
    return arms;
  }
}

export type ContactPlan = { variantKey: string; segment: string; statements: Statement[]; lead: LeadRow };

/**
 * Chooses the variant (Thompson sampling, or `forcedKey`) and returns the statements that record the
 * send: the arm's `sends + 1` guarded by the lead still being in `from`, then the move to contacted.
 */
export async function planContact(
  db: Db,
  lead: LeadRow,
  experiment: ExperimentRow,
  arms: ArmCache,
  rng: Rng,
  now: number,
  options: { from: LeadStatus[]; forcedKey?: string; mode: "record" | "deliver"; actor?: string },
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
  const contacted: LeadRow = {
    ...lead,
    status: "contacted",
    experimentId: experiment.id,
    variantKey,
    segment,
    snoozedUntil: null,
    contactedAt: now,
    updatedAt: now,
  };
  return {
    variantKey,
    segment,
    lead: contacted,
    statements: [
      ensureArms(db, experiment, segment),
      bumpArm(db, ref, "sends", lead.id, options.from),
      moveLead(db, lead, options.from, {
        status: "contacted",
        experimentId: experiment.id,
        variantKey,
        segment,
        snoozedUntil: null,
        contactedAt: now,
        updatedAt: now,
      }),
      leadEvent(db, lead.orgId, lead.id, "contacted", now, {
        experimentId: experiment.id,
        variantKey,
        segment,
        mode: options.mode,
        ...(options.forcedKey || options.actor ? { forced: true } : {}),
      }),
    ],
  };
}
