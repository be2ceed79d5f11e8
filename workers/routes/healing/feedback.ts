import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { createDb } from "../../../shared/db/client.ts";
import { healAttempts } from "../../../shared/db/schema/healing.ts";
import { FeedbackRequestSchema } from "../../../shared/healing/index.ts";
import {
  RETRAIN_AFTER_FEEDBACK,
  feedbackSinceLastModel,
  retrainOrg,
} from "../../../shared/healing/records/retraining.ts";
import { runJobOnce } from "../../../shared/jobs/job-runs.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import type { Env } from "../../env.ts";
import { auditContext } from "../../request-context.ts";

/** Retrains in the background once an org has gathered enough new feedback (idempotent per batch of N). */
export async function maybeRetrain(env: Env, orgId: string) {
  const db = createDb(env.DB);
  const fresh = await feedbackSinceLastModel(db, orgId);
  if (fresh < RETRAIN_AFTER_FEEDBACK) return;
  await runJobOnce(
    db,
    "heal-retrain",
    `heal-retrain:${orgId}:feedback:${Date.now() - (Date.now() % 3_600_000)}`,
    orgId,
    async () => {
      const outcome = await retrainOrg(db, env.ARTIFACTS, env.CACHE, orgId);
      return {
        status: outcome.status === "skipped" ? "skipped" : "succeeded",
        counts: { examples: outcome.examples },
      };
    },
  );
}

export function registerFeedbackRoute(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/heal/{attemptId}/feedback",
      rate: { policy: "heal" },
      errors: [422],
      tags: ["Healing"],
      summary: "Record whether a heal was right (the truth used for retraining)",
      permission: "heal:write",
      request: { params: idParam("attemptId", "hea"), body: jsonBody(FeedbackRequestSchema) },
      responses: {
        200: jsonContent(
          z.object({
            attemptId: z.string(),
            accepted: z.boolean(),
            correctIndex: z.number().int().nullable(),
            correctSelector: z.string().nullable(),
          }),
          "Recorded",
        ),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { attemptId } = c.req.valid("param");
      const body = c.req.valid("json");
      const { db } = c.get("services");
      const rows = await db
        .select()
        .from(healAttempts)
        .where(and(eq(healAttempts.orgId, orgId), eq(healAttempts.id, attemptId)))
        .limit(1);
      const attempt = rows[0];
      if (!attempt) throw notFound("Heal attempt");
      if (body.correctIndex !== undefined) {
        if (attempt.form !== "candidates")
          throw new ApiError(
            "unprocessable",
            "correctIndex applies to the candidates form; send correctSelector",
          );
        if (body.correctIndex >= attempt.candidateCount) {
          throw new ApiError(
            "unprocessable",
            `correctIndex must be below ${attempt.candidateCount} (the number of candidates)`,
          );
        }
      }
      if (body.accepted && (body.correctIndex !== undefined || body.correctSelector !== undefined)) {
        throw new ApiError(
          "unprocessable",
          "An accepted heal needs no correction; send accepted:false with the correct element",
        );
      }
      // A person's verdict trains the tenant's model, so it is audited like any other decision.
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "heal.feedback",
          targetType: "heal_attempt",
          targetId: attemptId,
          changes: {
            accepted: body.accepted,
            correctIndex: body.correctIndex,
            correctSelector: body.correctSelector,
          },
        },
        () => [
          db
            .update(healAttempts)
            .set({
              feedbackAccepted: body.accepted,
              feedbackCorrectIndex: body.correctIndex ?? null,
              feedbackCorrectSelector: body.correctSelector ?? null,
              feedbackAt: Date.now(),
              feedbackBy: c.get("principal").actorId,
            })
            .where(and(eq(healAttempts.orgId, orgId), eq(healAttempts.id, attemptId))),
        ],
      );
      c.executionCtx.waitUntil(
        maybeRetrain(c.env, orgId).catch((error: unknown) =>
          console.error(
            JSON.stringify({ level: "error", msg: "retraining failed", orgId, error: String(error) }),
          ),
        ),
      );
      return c.json(
        {
          attemptId,
          accepted: body.accepted,
          correctIndex: body.correctIndex ?? null,
          correctSelector: body.correctSelector ?? null,
        },
        200,
      );
    },
  );
}
