import type { Db } from "../db/client.ts";
import { findProjectRow } from "../db/org-scoped.ts";
import { ciSettings } from "../db/schema/ci.ts";
import { DEFAULT_GATE_RULES, type GateRules } from "./gate.ts";

/** Gate rules plus the project's flaky/quarantine settings. */
export type CiSettings = GateRules & {
  /** Quarantine a test automatically when it turns flaky. */
  autoQuarantine: boolean;
  /** Release a quarantined test after this many consecutive passes; null = only manual release. */
  releaseAfterPasses: number | null;
};

export const DEFAULT_CI_SETTINGS: CiSettings = {
  ...DEFAULT_GATE_RULES,
  autoQuarantine: false,
  releaseAfterPasses: 10,
};

export async function loadCiSettings(
  db: Db,
  orgId: string,
  projectId: string,
): Promise<CiSettings & { updatedAt: number | null }> {
  const row = await findProjectRow(db, ciSettings, orgId, projectId);
  if (!row) return { ...DEFAULT_CI_SETTINGS, updatedAt: null };
  return {
    minPassRate: row.minPassRate,
    noNewFailures: row.noNewFailures,
    noBrokenTests: row.noBrokenTests,
    maxHealsBeforeWarning: row.maxHealsBeforeWarning,
    autoQuarantine: row.autoQuarantine,
    releaseAfterPasses: row.releaseAfterPasses,
    updatedAt: row.updatedAt,
  };
}
