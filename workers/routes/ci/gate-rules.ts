import { z } from "@hono/zod-openapi";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { ciSettings } from "../../../shared/db/schema/ci.ts";
import { DEFAULT_CI_SETTINGS, loadCiSettings } from "../../../shared/ci/settings.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";

export const gateRulesSchema = z
  .object({
    minPassRate: z.number().min(0).max(1).nullable(),
    noNewFailures: z.boolean(),
    noBrokenTests: z.boolean(),
    maxHealsBeforeWarning: z.number().int().min(0).nullable(),
    autoQuarantine: z.boolean(),
    releaseAfterPasses: z.number().int().min(1).max(1000).nullable(),
    updatedAt: z.number().int().nullable(),
  })
  .openapi("GateRules");

/** PUT replaces the rules; an omitted field takes its default (see docs/ci-api.md). */
const putGateRulesSchema = z.strictObject({
  minPassRate: z.number().min(0).max(1).nullable().optional(),
  noNewFailures: z.boolean().optional(),
  noBrokenTests: z.boolean().optional(),
  maxHealsBeforeWarning: z.number().int().min(0).max(100_000).nullable().optional(),
  autoQuarantine: z.boolean().optional(),
  releaseAfterPasses: z.number().int().min(1).max(1000).nullable().optional(),
});

const params = idParam("projectId", "prj");
const tags = ["CI"];

export function registerGateRuleRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/gate-rules",
      tags,
      summary: "The project's quality-gate rules and quarantine settings",
      permission: "projects:read",
      request: { params },
      responses: {
        200: jsonContent(gateRulesSchema, "Rules (defaults when never set: updatedAt null)"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      return c.json(await loadCiSettings(db, orgId, projectId), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/projects/{projectId}/gate-rules",
      tags,
      summary: "Set the project's quality-gate rules and quarantine settings",
      permission: "projects:write",
      request: { params, body: jsonBody(putGateRulesSchema) },
      responses: { 200: jsonContent(gateRulesSchema, "The rules now in force") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const body = c.req.valid("json");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const rules = { ...DEFAULT_CI_SETTINGS, ...body };
      const row = { projectId, orgId, ...rules, updatedAt: Date.now() };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        { action: "ci.gate_rules.update", targetType: "project", targetId: projectId, changes: rules },
        () => [
          db
            .insert(ciSettings)
            .values(row)
            .onConflictDoUpdate({
              target: ciSettings.projectId,
              set: { ...rules, updatedAt: row.updatedAt },
            }),
        ],
      );
      return c.json({ ...rules, updatedAt: row.updatedAt }, 200);
    },
  );
}
