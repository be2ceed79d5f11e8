import { type AuditContext, audit, auditedBatch } from "../../audit/repository.ts";
import type { HealingModelVersion } from "../../contract/healing.ts";
import { pageInOrg, requireInOrg } from "../../db/org-scoped.ts";
import { healingModels } from "../../db/schema/healing.ts";
import { ApiError } from "../../errors.ts";
import { mapPage, type PageQuery } from "../../pagination.ts";
import {
  activateStatement,
  forgetActiveModel,
  type HealingModelRow,
  retireActiveStatement,
} from "./models-repository.ts";
import type { RetrainOutcome } from "./retraining.ts";
import { retrainAsJob } from "./retraining-jobs.ts";
import type { HealingServices } from "./services.ts";

/** A version as the API shows it: the weights themselves stay inside. */
function toModelVersion({ orgId: _o, model: _m, ...rest }: HealingModelRow): HealingModelVersion {
  return rest as HealingModelVersion;
}

/** The org's model versions (the registry), newest first. */
export async function listModels(
  services: Pick<HealingServices, "db">,
  orgId: string,
  page: PageQuery,
): Promise<{ items: HealingModelVersion[]; nextCursor: string | null }> {
  return mapPage(await pageInOrg(services.db, healingModels, orgId, page), toModelVersion);
}

/**
 * Retrains now because a person asked: one job run per request (a replayed request id is a conflict).
 * Promoted only if the new version beats the active one on held-out data.
 */
export async function retrainNow(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
): Promise<RetrainOutcome> {
  const outcome = await retrainAsJob(services, orgId, { kind: "manual", requestId: ctx.requestId ?? "" });
  if (!outcome) throw new ApiError("conflict", "This retraining was already recorded");
  await audit(services.db, orgId, ctx, {
    action: "heal.model.retrain",
    targetType: "healing_model",
    targetId: "modelId" in outcome ? outcome.modelId : null,
    changes: { status: outcome.status, examples: outcome.examples },
  });
  return outcome;
}

/** Makes a version the active model (roll back or forward); heals use it at once in this isolate. */
export async function activateModel(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
  modelId: string,
): Promise<HealingModelVersion> {
  const { db } = services;
  const target = await requireInOrg(db, healingModels, orgId, modelId, "Model version");
  const now = services.clock();
  await auditedBatch(
    db,
    orgId,
    ctx,
    {
      action: "heal.model.activate",
      targetType: "healing_model",
      targetId: modelId,
      changes: { version: target.version },
    },
    () => [retireActiveStatement(db, orgId), activateStatement(db, orgId, modelId, now)],
  );
  await forgetActiveModel(services.cache, orgId);
  return toModelVersion({ ...target, status: "active", activatedAt: now });
}

/** Goes back to Shifty's default model by retiring the org's active version. */
export async function activateDefaultModel(
  services: HealingServices,
  orgId: string,
  ctx: AuditContext,
): Promise<void> {
  await auditedBatch(
    services.db,
    orgId,
    ctx,
    { action: "heal.model.activate", targetType: "healing_model", targetId: "default" },
    () => [retireActiveStatement(services.db, orgId)],
  );
  await forgetActiveModel(services.cache, orgId);
}
