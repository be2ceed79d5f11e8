import { z } from "@hono/zod-openapi";
import { findInOrg } from "../../../shared/db/org-scoped.ts";
import { and, desc, eq, lt } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import type { Db } from "../../../shared/db/client.ts";
import { ciResults, ciTests } from "../../../shared/db/schema/ci.ts";
import { pageQuerySchema, toPage } from "../../../shared/pagination.ts";
import { notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { resultSchema, testSchema, toResult, toTest } from "./schemas.ts";

const tags = ["CI"];
const testParams = idParam("testId", "tst");
const projectParams = idParam("projectId", "prj");

export function registerTestRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/tests",
      tags,
      summary: "A project's tests, newest first; filter by health or quarantine",
      permission: "runs:read",
      request: {
        params: projectParams,
        query: pageQuerySchema.extend({
          status: z.enum(["healthy", "flaky", "broken", "quarantined"]).optional(),
        }),
      },
      responses: { 200: jsonContent(pageOf(testSchema), "A page of tests") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { limit, cursor, status } = c.req.valid("query");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const rows = await db
        .select()
        .from(ciTests)
        .where(
          and(
            eq(ciTests.orgId, orgId),
            eq(ciTests.projectId, projectId),
            status === "quarantined"
              ? eq(ciTests.quarantined, true)
              : status
                ? eq(ciTests.status, status)
                : undefined,
            cursor ? lt(ciTests.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(ciTests.id))
        .limit(limit + 1);
      return c.json(toPage(rows.map(toTest), limit), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/flaky",
      tags,
      summary: "Flaky tests with failure rate, Wilson interval, sample size and last flip",
      permission: "runs:read",
      request: { params: projectParams, query: pageQuerySchema },
      responses: { 200: jsonContent(pageOf(testSchema), "A page of flaky tests") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const rows = await db
        .select()
        .from(ciTests)
        .where(
          and(
            eq(ciTests.orgId, orgId),
            eq(ciTests.projectId, projectId),
            eq(ciTests.status, "flaky"),
            cursor ? lt(ciTests.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(ciTests.id))
        .limit(limit + 1);
      return c.json(toPage(rows.map(toTest), limit), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/tests/{testId}",
      tags,
      summary: "Get a test",
      permission: "runs:read",
      request: { params: testParams },
      responses: { 200: jsonContent(testSchema, "The test") },
    }),
    async (c) => {
      const test = await requireTest(c.get("services").db, orgIdOf(c), c.req.valid("param").testId);
      return c.json(toTest(test), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/tests/{testId}/history",
      tags,
      summary: "A test's results across runs, newest first",
      permission: "runs:read",
      request: { params: testParams, query: pageQuerySchema },
      responses: { 200: jsonContent(pageOf(resultSchema), "A page of results") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { testId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const { db } = c.get("services");
      const test = await requireTest(db, orgId, testId);
      const rows = await db
        .select()
        .from(ciResults)
        .where(
          and(
            eq(ciResults.orgId, orgId),
            eq(ciResults.testId, testId),
            cursor ? lt(ciResults.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(ciResults.id))
        .limit(limit + 1);
      return c.json(
        toPage(
          rows.map((r) => toResult(r, test)),
          limit,
        ),
        200,
      );
    },
  );

  for (const method of ["post", "delete"] as const) {
    const quarantine = method === "post";
    app.openapi(
      defineRoute({
        method,
        path: "/tests/{testId}/quarantine",
        tags,
        summary: quarantine
          ? "Quarantine a test (its failures stop failing the gate)"
          : "Release a test from quarantine",
        permission: "runs:write",
        request: { params: testParams },
        responses: { 200: jsonContent(testSchema, "The test") },
      }),
      async (c) => {
        const orgId = orgIdOf(c);
        const { testId } = c.req.valid("param");
        const { db } = c.get("services");
        const test = await requireTest(db, orgId, testId);
        if (test.quarantined === quarantine) return c.json(toTest(test), 200);
        const now = Date.now();
        const patch = quarantine
          ? {
              quarantined: true,
              quarantineReason: "manual" as const,
              quarantinedAt: now,
              consecutivePasses: 0,
            }
          : { quarantined: false, quarantineReason: null, quarantinedAt: null };
        await auditedBatch(
          db,
          orgId,
          auditContext(c),
          {
            action: quarantine ? "test.quarantine" : "test.release",
            targetType: "test",
            targetId: testId,
            changes: { name: test.name, projectId: test.projectId },
          },
          () => [
            db
              .update(ciTests)
              .set(patch)
              .where(and(eq(ciTests.orgId, orgId), eq(ciTests.id, testId))),
          ],
        );
        return c.json(toTest({ ...test, ...patch }), 200);
      },
    );
  }
}

export async function requireTest(db: Db, orgId: string, testId: string) {
  const row = await findInOrg(db, ciTests, orgId, testId);
  if (!row) throw notFound("Test");
  return row;
}
