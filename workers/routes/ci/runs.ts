import { z } from "@hono/zod-openapi";
import { findInOrg } from "../../../shared/db/org-scoped.ts";
import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "../../../shared/db/client.ts";
import { ciResults, ciRuns, ciTests } from "../../../shared/db/schema/ci.ts";
import { pageQuerySchema, toPage } from "../../../shared/pagination.ts";
import { notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { gateSchema, resultSchema, runSchema, toResult, toRun } from "./schemas.ts";

const tags = ["CI"];
const runParams = idParam("runId", "run");

export function registerRunRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/runs",
      tags,
      summary: "List a project's runs, newest first",
      permission: "runs:read",
      request: {
        params: idParam("projectId", "prj"),
        query: pageQuerySchema.extend({
          branch: z.string().min(1).max(255).optional(),
          status: z.enum(["passed", "failed"]).optional(),
        }),
      },
      responses: { 200: jsonContent(pageOf(runSchema), "A page of runs") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { limit, cursor, branch, status } = c.req.valid("query");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const rows = await db
        .select()
        .from(ciRuns)
        .where(
          and(
            eq(ciRuns.orgId, orgId),
            eq(ciRuns.projectId, projectId),
            branch ? eq(ciRuns.branch, branch) : undefined,
            status ? eq(ciRuns.status, status) : undefined,
            cursor ? lt(ciRuns.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(ciRuns.id))
        .limit(limit + 1);
      return c.json(toPage(rows.map(toRun), limit), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/runs/{runId}",
      tags,
      summary: "Get a run",
      permission: "runs:read",
      request: { params: runParams },
      responses: { 200: jsonContent(runSchema, "The run") },
    }),
    async (c) => {
      const run = await requireRun(c.get("services").db, orgIdOf(c), c.req.valid("param").runId);
      return c.json(toRun(run), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/runs/{runId}/results",
      tags,
      summary: "A run's test results",
      permission: "runs:read",
      request: {
        params: runParams,
        query: pageQuerySchema.extend({
          status: z.enum(["passed", "failed", "skipped", "flaky"]).optional(),
        }),
      },
      responses: { 200: jsonContent(pageOf(resultSchema), "A page of results") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { runId } = c.req.valid("param");
      const { limit, cursor, status } = c.req.valid("query");
      const { db } = c.get("services");
      await requireRun(db, orgId, runId);
      const rows = await db
        .select({ result: ciResults, name: ciTests.name, suite: ciTests.suite, file: ciTests.file })
        .from(ciResults)
        .innerJoin(ciTests, and(eq(ciTests.id, ciResults.testId), eq(ciTests.orgId, orgId)))
        .where(
          and(
            eq(ciResults.orgId, orgId),
            eq(ciResults.runId, runId),
            status ? eq(ciResults.status, status) : undefined,
            cursor ? lt(ciResults.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(ciResults.id))
        .limit(limit + 1);
      return c.json(
        toPage(
          rows.map((r) => toResult(r.result, r)),
          limit,
        ),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/runs/{runId}/gate",
      tags,
      summary: "The run's quality-gate evaluation",
      permission: "runs:read",
      request: { params: runParams },
      responses: {
        200: jsonContent(gateSchema, "pass, fail or warn, with a reason per rule"),
      },
    }),
    async (c) => {
      const run = await requireRun(c.get("services").db, orgIdOf(c), c.req.valid("param").runId);
      return c.json(
        { status: run.gateStatus, reasons: run.gateReasons, evaluatedAt: run.gateEvaluatedAt },
        200,
      );
    },
  );
}

/** The org's run or a 404 (also for another org's id). */
export async function requireRun(db: Db, orgId: string, runId: string) {
  const row = await findInOrg(db, ciRuns, orgId, runId);
  if (!row) throw notFound("Run");
  return row;
}
