import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { isUniqueViolation } from "../../../shared/db/client.ts";
import { ciRuns } from "../../../shared/db/schema/ci.ts";
import { healSettings, healedLocators } from "../../../shared/db/schema/healed-locators.ts";
import {
  findAttempt,
  findHealedLocator,
  findSameHeal,
  HealSettingsSchema,
  listHealedLocators,
  loadAutoAcceptThreshold,
  newHealRow,
  RecordHealSchema,
  reviewStatements,
  toHealedLocator,
} from "../../../shared/healing/records/locators.ts";
import { HEAL_LIMITS } from "../../../shared/healing/schema.ts";
import { newId } from "../../../shared/ids.ts";
import { pageQuerySchema, toPage } from "../../../shared/pagination.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { maybeRetrain } from "./feedback.ts";

const tags = ["Healing"];

export const healedLocatorSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    status: z.enum(["pending", "accepted", "rejected"]),
    autoAccepted: z.boolean(),
    testFile: z.string(),
    testTitle: z.string(),
    location: z.string().openapi({ description: "file:line:column of the call that built the locator" }),
    originalSelector: z.string(),
    healedSelector: z.string(),
    healedLocator: z.string().nullable(),
    confidence: z.number(),
    attemptId: z.string(),
    runId: z.string().nullable(),
    occurrences: z.number().int(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.number().int().nullable(),
    reviewNote: z.string().nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("HealedLocator");

const settingsSchema = z
  .object({ projectId: z.string(), autoAcceptThreshold: z.number(), updatedAt: z.number().int().nullable() })
  .openapi("HealSettings");

const projectParams = idParam("projectId", "prj");
const healParams = idParam("healId", "hlc");
const reviewBody = z.strictObject({
  note: z.string().trim().max(2000).optional(),
  /** On reject: the selector that was right, passed to the attempt's feedback for retraining. */
  correctSelector: z.string().trim().min(1).max(HEAL_LIMITS.maxSelectorLength).optional(),
});

export function registerHealedLocatorRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/heals",
      tags,
      summary: "Healed locators: the review queue (pending) and the accepted map later runs reuse",
      permission: "heal:read",
      request: {
        params: projectParams,
        query: pageQuerySchema.extend({ status: z.enum(["pending", "accepted", "rejected"]).optional() }),
      },
      responses: {
        200: jsonContent(pageOf(healedLocatorSchema), "A page of healed locators"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { limit, cursor, status } = c.req.valid("query");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const rows = await listHealedLocators(db, orgId, projectId, { status, cursor, limit });
      return c.json(toPage(rows.map(toHealedLocator), limit), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/projects/{projectId}/heals",
      tags,
      summary: "Record a heal made during a test run",
      description:
        "Accepted at once when `confidence` is at or above the project's auto-accept threshold, else pending " +
        "review. Recording the same heal (same selectors at the same location) again returns the existing " +
        "record with 200 and counts the occurrence.",
      permission: "heal:write",
      request: { params: projectParams, body: jsonBody(RecordHealSchema.openapi("RecordHeal")) },
      responses: {
        201: jsonContent(healedLocatorSchema, "Recorded"),
        200: jsonContent(healedLocatorSchema, "Recorded before; occurrence counted"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const body = c.req.valid("json");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const attempt = await findAttempt(db, orgId, body.attemptId);
      if (!attempt) throw notFound("Heal attempt");
      if (attempt.projectId !== null && attempt.projectId !== projectId) {
        throw new ApiError("unprocessable", "The heal attempt belongs to another project");
      }
      if (body.runId) {
        const run = await db
          .select({ id: ciRuns.id })
          .from(ciRuns)
          .where(and(eq(ciRuns.orgId, orgId), eq(ciRuns.projectId, projectId), eq(ciRuns.id, body.runId)))
          .limit(1);
        if (!run[0]) throw notFound("Run");
      }
      const now = Date.now();
      const existing = await findSameHeal(db, orgId, projectId, body);
      if (existing) {
        const updated = {
          ...existing,
          occurrences: existing.occurrences + 1,
          runId: body.runId ?? existing.runId,
          updatedAt: now,
        };
        await auditedBatch(
          db,
          orgId,
          auditContext(c),
          {
            action: "heal.record",
            targetType: "healed_locator",
            targetId: existing.id,
            changes: { occurrences: updated.occurrences },
          },
          () => [
            db
              .update(healedLocators)
              .set({ occurrences: updated.occurrences, runId: updated.runId, updatedAt: now })
              .where(and(eq(healedLocators.orgId, orgId), eq(healedLocators.id, existing.id))),
          ],
        );
        return c.json(toHealedLocator(updated), 200);
      }
      const threshold = await loadAutoAcceptThreshold(db, orgId, projectId);
      const row = newHealRow(newId("hlc", now), orgId, projectId, body, threshold, now);
      try {
        await auditedBatch(
          db,
          orgId,
          auditContext(c),
          {
            action: "heal.record",
            targetType: "healed_locator",
            targetId: row.id,
            changes: {
              originalSelector: row.originalSelector,
              healedSelector: row.healedSelector,
              confidence: row.confidence,
              status: row.status,
            },
          },
          () => [db.insert(healedLocators).values(row)],
        );
      } catch (error) {
        // Two workers recorded the same heal at once: the other insert won; answer with its row.
        if (!isUniqueViolation(error, "healed_locators")) throw error;
        const winner = await findSameHeal(db, orgId, projectId, body);
        if (!winner) throw error;
        return c.json(toHealedLocator(winner), 200);
      }
      return c.json(toHealedLocator(row), 201);
    },
  );

  for (const decision of ["approve", "reject"] as const) {
    app.openapi(
      defineRoute({
        method: "post",
        path: `/heals/{healId}/${decision}`,
        tags,
        summary:
          decision === "approve"
            ? "Approve a healed locator: later runs reuse it"
            : "Reject a healed locator: later runs never reuse it",
        description:
          "Also records the decision as feedback on the heal attempt, so retraining learns from it.",
        permission: "heal:write",
        request: {
          params: healParams,
          body: { ...jsonBody(reviewBody), required: false },
        },
        responses: { 200: jsonContent(healedLocatorSchema, "Reviewed") },
      }),
      async (c) => {
        const orgId = orgIdOf(c);
        const { healId } = c.req.valid("param");
        const body = c.req.valid("json") ?? {};
        const { db } = c.get("services");
        const heal = await findHealedLocator(db, orgId, healId);
        if (!heal) throw notFound("Healed locator");
        const accepted = decision === "approve";
        if (accepted && body.correctSelector !== undefined) {
          throw new ApiError("unprocessable", "correctSelector goes with reject, not approve");
        }
        const now = Date.now();
        const by = c.get("principal").actorId;
        await auditedBatch(
          db,
          orgId,
          auditContext(c),
          {
            action: accepted ? "heal.approve" : "heal.reject",
            targetType: "healed_locator",
            targetId: heal.id,
            changes: { from: heal.status, to: accepted ? "accepted" : "rejected", note: body.note ?? null },
          },
          () => [...reviewStatements(db, orgId, heal, { accepted, by, ...body }, now)],
        );
        c.executionCtx.waitUntil(
          maybeRetrain(c.env, orgId).catch((error: unknown) =>
            console.error(
              JSON.stringify({ level: "error", msg: "retraining failed", orgId, error: String(error) }),
            ),
          ),
        );
        return c.json(
          toHealedLocator({
            ...heal,
            status: accepted ? "accepted" : "rejected",
            autoAccepted: false,
            reviewedBy: by,
            reviewedAt: now,
            reviewNote: body.note ?? null,
            updatedAt: now,
          }),
          200,
        );
      },
    );
  }

  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/heal-settings",
      tags,
      summary: "The project's healing settings (auto-accept threshold)",
      permission: "heal:read",
      request: { params: projectParams },
      responses: { 200: jsonContent(settingsSchema, "Settings") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const rows = await db
        .select()
        .from(healSettings)
        .where(and(eq(healSettings.orgId, orgId), eq(healSettings.projectId, projectId)))
        .limit(1);
      return c.json(
        {
          projectId,
          autoAcceptThreshold: await loadAutoAcceptThreshold(db, orgId, projectId),
          updatedAt: rows[0]?.updatedAt ?? null,
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/projects/{projectId}/heal-settings",
      tags,
      summary: "Set the project's auto-accept threshold for recorded heals",
      permission: ["projects:write", "heal:write"],
      request: { params: projectParams, body: jsonBody(HealSettingsSchema) },
      responses: { 200: jsonContent(settingsSchema, "Settings") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { autoAcceptThreshold } = c.req.valid("json");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const now = Date.now();
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "heal.settings.update",
          targetType: "project",
          targetId: projectId,
          changes: { autoAcceptThreshold },
        },
        () => [
          db
            .insert(healSettings)
            .values({ projectId, orgId, autoAcceptThreshold, updatedAt: now })
            .onConflictDoUpdate({
              target: healSettings.projectId,
              set: { autoAcceptThreshold, updatedAt: now },
              setWhere: eq(healSettings.orgId, orgId),
            }),
        ],
      );
      return c.json({ projectId, autoAcceptThreshold, updatedAt: now }, 200);
    },
  );
}
