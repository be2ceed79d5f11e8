import { z } from "@hono/zod-openapi";
import { findInOrg, pageInOrg } from "../../../shared/db/org-scoped.ts";
import { and, eq } from "drizzle-orm";
import { audit, auditedBatch } from "../../../shared/audit/repository.ts";
import { healingModels } from "../../../shared/db/schema/healing.ts";
import { forgetActiveModel } from "../../../shared/healing/records/models.ts";
import { retrainOrg } from "../../../shared/healing/records/retraining.ts";
import { runJobOnce } from "../../../shared/jobs/job-runs.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";

const modelSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: z.enum(["active", "candidate", "rejected", "retired"]),
    metrics: z.record(z.string(), z.unknown()),
    trainingExamples: z.number().int(),
    holdoutExamples: z.number().int(),
    reason: z.string().nullable(),
    createdAt: z.number().int(),
    activatedAt: z.number().int().nullable(),
  })
  .openapi("HealingModelVersion");

const toModel = ({ orgId: _o, model: _m, ...rest }: typeof healingModels.$inferSelect) => rest;
const tags = ["Healing models"];

export function registerModelRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/heal/models",
      rate: { policy: "heal" },
      tags,
      summary: "The org's healing model versions (registry), newest first",
      permission: "heal:read",
      request: { query: pageQuerySchema },
      responses: { 200: jsonContent(pageOf(modelSchema), "Versions") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const page = await pageInOrg(c.get("services").db, healingModels, orgId, c.req.valid("query"));
      return c.json({ ...page, items: page.items.map(toModel) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/heal/models/retrain",
      rate: { policy: "heal" },
      tags,
      summary:
        "Retrain now on the org's feedback; promoted only if it beats the active model on held-out data",
      permission: "models:manage",
      responses: {
        200: jsonContent(
          z
            .object({
              status: z.string(),
              reason: z.string().optional(),
              modelId: z.string().optional(),
              version: z.number().optional(),
              examples: z.number(),
            })
            .passthrough(),
          "Outcome",
        ),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      let outcome: Awaited<ReturnType<typeof retrainOrg>> | undefined;
      // Recorded as a job run like the scheduled ones; keyed by request, since a person asked for it now.
      await runJobOnce(
        db,
        "heal-retrain",
        `heal-retrain:${orgId}:manual:${c.get("requestId")}`,
        orgId,
        async () => {
          outcome = await retrainOrg(db, c.get("services").artifacts, c.get("services").cache, orgId);
          return {
            status: outcome.status === "skipped" ? "skipped" : "succeeded",
            counts: { examples: outcome.examples },
          };
        },
      );
      if (!outcome) throw new ApiError("conflict", "This retraining was already recorded");
      await audit(db, orgId, auditContext(c), {
        action: "heal.model.retrain",
        targetType: "healing_model",
        targetId: "modelId" in outcome ? outcome.modelId : null,
        changes: { status: outcome.status, examples: outcome.examples },
      });
      return c.json(outcome, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/heal/models/default/activate",
      rate: { policy: "heal" },
      tags,
      summary: "Go back to Shifty's default model (retires the org's active version)",
      permission: "models:manage",
      responses: { 204: { description: "Default model active" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        { action: "heal.model.activate", targetType: "healing_model", targetId: "default" },
        () => [
          db
            .update(healingModels)
            .set({ status: "retired" })
            .where(and(eq(healingModels.orgId, orgId), eq(healingModels.status, "active"))),
        ],
      );
      await forgetActiveModel(c.get("services").cache, orgId);
      return c.body(null, 204);
    },
  );
  app.openapi(
    defineRoute({
      method: "post",
      path: "/heal/models/{modelId}/activate",
      rate: { policy: "heal" },
      tags,
      summary: "Make a version the active model (roll back or forward)",
      permission: "models:manage",
      request: { params: idParam("modelId", "mdl") },
      responses: { 200: jsonContent(modelSchema, "The active version") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { modelId } = c.req.valid("param");
      const { db } = c.get("services");
      const target = await findInOrg(db, healingModels, orgId, modelId);
      if (!target) throw notFound("Model version");
      const now = Date.now();
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "heal.model.activate",
          targetType: "healing_model",
          targetId: modelId,
          changes: { version: target.version },
        },
        () => [
          db
            .update(healingModels)
            .set({ status: "retired" })
            .where(and(eq(healingModels.orgId, orgId), eq(healingModels.status, "active"))),
          db
            .update(healingModels)
            .set({ status: "active", activatedAt: now })
            .where(and(eq(healingModels.orgId, orgId), eq(healingModels.id, modelId))),
        ],
      );
      await forgetActiveModel(c.get("services").cache, orgId);
      return c.json(toModel({ ...target, status: "active", activatedAt: now }), 200);
    },
  );
}
