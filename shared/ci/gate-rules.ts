import { type AuditContext, auditedUpsert } from "../audit/repository.ts";
import type { GateRules, PutGateRules } from "../contract/ci.ts";
import type { Db } from "../db/client.ts";
import { ciSettings } from "../db/schema/ci.ts";
import { requireCiProject } from "./project.ts";
import { DEFAULT_CI_SETTINGS, loadCiSettings } from "./settings.ts";

/** A project's gate rules and quarantine settings (the defaults with `updatedAt: null` when never set). */
export async function getGateRules(db: Db, orgId: string, projectId: string): Promise<GateRules> {
  await requireCiProject(db, orgId, projectId);
  return loadCiSettings(db, orgId, projectId);
}

/** Replaces the rules: a field the input omits takes its default (docs/ci-api.md). */
export async function saveGateRules(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  projectId: string,
  input: PutGateRules,
  now = Date.now(),
): Promise<GateRules> {
  await requireCiProject(db, orgId, projectId);
  const rules = { ...DEFAULT_CI_SETTINGS, ...input };
  await auditedUpsert(
    db,
    orgId,
    ctx,
    ciSettings,
    { projectId, orgId, ...rules, updatedAt: now },
    { target: ciSettings.projectId, set: { ...rules, updatedAt: now } },
    { action: "ci.gate_rules.update", targetType: "project", targetId: projectId, changes: rules },
  );
  return { ...rules, updatedAt: now };
}
