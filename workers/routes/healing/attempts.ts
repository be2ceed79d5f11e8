import { z } from "@hono/zod-openapi";
import { and, count, desc, eq, gte, isNotNull, lt, lte, sql } from "drizzle-orm";
import { healAttempts } from "../../../shared/db/schema/healing.ts";
import { pageQuerySchema, toPage } from "../../../shared/pagination.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";

const attemptSchema = z
  .object({
    id: z.string(),
    projectId: z.string().nullable(),
    form: z.enum(["candidates", "dom"]),
    selector: z.string().nullable(),
    healed: z.boolean(),
    confidence: z.number(),
    strategy: z.string(),
    resultIndex: z.number().int().nullable(),
    resultSelector: z.string().nullable(),
    candidateCount: z.number().int(),
    latencyMs: z.number(),
    modelVersion: z.string(),
    feedback: z
      .object({
        accepted: z.boolean(),
        correctIndex: z.number().int().nullable(),
        correctSelector: z.string().nullable(),
        at: z.number().int(),
      })
      .nullable(),
    createdAt: z.number().int(),
  })
  .openapi("HealAttempt");

const projectFilter = z
  .string()
  .regex(/^prj_[0-9a-z]{26}$/)
  .optional();
const timeFilter = z.coerce.number().int().min(0).optional();

function toAttempt(row: typeof healAttempts.$inferSelect) {
  return {
    id: row.id,
    projectId: row.projectId,
    form: row.form,
    selector: row.selector,
    healed: row.healed,
    confidence: row.confidence,
    strategy: row.strategy,
    resultIndex: row.resultIndex,
    resultSelector: row.resultSelector,
    candidateCount: row.candidateCount,
    latencyMs: row.latencyMs,
    modelVersion: row.modelVersion,
    feedback:
      row.feedbackAt === null
        ? null
        : {
            accepted: !!row.feedbackAccepted,
            correctIndex: row.feedbackCorrectIndex,
            correctSelector: row.feedbackCorrectSelector,
            at: row.feedbackAt,
          },
    createdAt: row.createdAt,
  };
}

export function registerAttemptRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/heal/attempts",
      rate: { policy: "heal" },
      tags: ["Healing"],
      summary: "Heal attempts, newest first",
      permission: "heal:read",
      request: {
        query: pageQuerySchema.extend({
          projectId: projectFilter,
          outcome: z.enum(["healed", "abstained", "accepted", "rejected", "unreviewed"]).optional(),
          strategy: z.string().max(64).optional(),
          from: timeFilter,
          to: timeFilter,
        }),
      },
      responses: { 200: jsonContent(pageOf(attemptSchema), "Attempts") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const q = c.req.valid("query");
      const outcome = {
        healed: eq(healAttempts.healed, true),
        abstained: eq(healAttempts.healed, false),
        accepted: eq(healAttempts.feedbackAccepted, true),
        rejected: eq(healAttempts.feedbackAccepted, false),
        unreviewed: sql`${healAttempts.feedbackAt} IS NULL AND ${healAttempts.healed} = 1`,
      };
      const rows = await c
        .get("services")
        .db.select()
        .from(healAttempts)
        .where(
          and(
            eq(healAttempts.orgId, orgId),
            q.cursor ? lt(healAttempts.id, q.cursor) : undefined,
            q.projectId ? eq(healAttempts.projectId, q.projectId) : undefined,
            q.outcome ? outcome[q.outcome] : undefined,
            q.strategy ? eq(healAttempts.strategy, q.strategy) : undefined,
            q.from !== undefined ? gte(healAttempts.createdAt, q.from) : undefined,
            q.to !== undefined ? lte(healAttempts.createdAt, q.to) : undefined,
          ),
        )
        .orderBy(desc(healAttempts.id))
        .limit(q.limit + 1);
      return c.json(toPage(rows.map(toAttempt), q.limit), 200);
    },
  );

  const bucket = z.object({
    key: z.string().nullable(),
    attempts: z.number().int(),
    healed: z.number().int(),
    healRate: z.number(),
    reviewed: z.number().int(),
    accepted: z.number().int(),
    acceptanceRate: z.number().nullable(),
    avgConfidence: z.number().nullable(),
  });

  app.openapi(
    defineRoute({
      method: "get",
      path: "/heal/stats",
      rate: { policy: "heal" },
      tags: ["Healing"],
      summary: "Heal rate and acceptance rate, overall, by strategy and by project",
      permission: "heal:read",
      request: { query: z.object({ projectId: projectFilter, from: timeFilter, to: timeFilter }) },
      responses: {
        200: jsonContent(
          z.object({ overall: bucket, byStrategy: z.array(bucket), byProject: z.array(bucket) }),
          "Stats",
        ),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const q = c.req.valid("query");
      const { db } = c.get("services");
      const where = and(
        eq(healAttempts.orgId, orgId),
        q.projectId ? eq(healAttempts.projectId, q.projectId) : undefined,
        q.from !== undefined ? gte(healAttempts.createdAt, q.from) : undefined,
        q.to !== undefined ? lte(healAttempts.createdAt, q.to) : undefined,
      );
      const measures = {
        attempts: count(),
        healed: sql<number>`COALESCE(SUM(${healAttempts.healed}), 0)`,
        reviewed: sql<number>`COUNT(${healAttempts.feedbackAt})`,
        accepted: sql<number>`COALESCE(SUM(CASE WHEN ${healAttempts.feedbackAccepted} = 1 THEN 1 ELSE 0 END), 0)`,
        avgConfidence: sql<
          number | null
        >`AVG(CASE WHEN ${healAttempts.healed} = 1 THEN ${healAttempts.confidence} END)`,
      };
      const [overall, byStrategy, byProject] = await Promise.all([
        db
          .select({ key: sql<null>`NULL`, ...measures })
          .from(healAttempts)
          .where(where),
        db
          .select({ key: healAttempts.strategy, ...measures })
          .from(healAttempts)
          .where(where)
          .groupBy(healAttempts.strategy),
        db
          .select({ key: healAttempts.projectId, ...measures })
          .from(healAttempts)
          .where(and(where, isNotNull(healAttempts.projectId)))
          .groupBy(healAttempts.projectId),
      ]);
      const shape = (r: {
        key: string | null;
        attempts: number;
        healed: number;
        reviewed: number;
        accepted: number;
        avgConfidence: number | null;
      }) => ({
        key: r.key,
        attempts: r.attempts,
        healed: Number(r.healed),
        healRate: r.attempts ? Number(r.healed) / r.attempts : 0,
        reviewed: Number(r.reviewed),
        accepted: Number(r.accepted),
        acceptanceRate: Number(r.reviewed) ? Number(r.accepted) / Number(r.reviewed) : null,
        avgConfidence: r.avgConfidence === null ? null : Number(r.avgConfidence),
      });
      return c.json(
        {
          overall: shape(
            overall[0] ?? {
              key: null,
              attempts: 0,
              healed: 0,
              reviewed: 0,
              accepted: 0,
              avgConfidence: null,
            },
          ),
          byStrategy: byStrategy.map(shape).sort((a, b) => b.attempts - a.attempts),
          byProject: byProject.map(shape).sort((a, b) => b.attempts - a.attempts),
        },
        200,
      );
    },
  );
}
