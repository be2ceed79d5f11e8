import { z } from "@hono/zod-openapi";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { ciClusters, ciResults, ciTests } from "../../../shared/db/schema/ci.ts";
import { pageQuerySchema, toPage } from "../../../shared/pagination.ts";
import { notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { clusterSchema, toCluster } from "./schemas.ts";

const tags = ["CI"];

const clusterDetailSchema = clusterSchema
  .extend({
    tests: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        suite: z.string(),
        file: z.string().nullable(),
        failures: z.number().int(),
      }),
    ),
  })
  .openapi("FailureClusterDetail");

// Spelled out: drizzle renders a column in a single-table select unqualified, which the subquery would
// resolve against ci_results instead of the outer row.
const testsAffected = sql<number>`(SELECT count(DISTINCT r.test_id) FROM ci_results r
  WHERE r.cluster_id = "ci_clusters"."id" AND r.org_id = "ci_clusters"."org_id")`;

export function registerClusterRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/clusters",
      tags,
      summary: "Failure clusters (same normalised message and top frames), newest first",
      permission: "runs:read",
      request: { params: idParam("projectId", "prj"), query: pageQuerySchema },
      responses: { 200: jsonContent(pageOf(clusterSchema), "A page of clusters") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const rows = await db
        .select({ cluster: ciClusters, testsAffected })
        .from(ciClusters)
        .where(
          and(
            eq(ciClusters.orgId, orgId),
            eq(ciClusters.projectId, projectId),
            cursor ? lt(ciClusters.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(ciClusters.id))
        .limit(limit + 1);
      const page = toPage(
        rows.map((r) => ({ ...r.cluster, testsAffected: Number(r.testsAffected) })),
        limit,
      );
      return c.json(
        { items: page.items.map((r) => toCluster(r, r.testsAffected)), nextCursor: page.nextCursor },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/clusters/{clusterId}",
      tags,
      summary: "A failure cluster with the tests it affects (most failures first, up to 50)",
      permission: "runs:read",
      request: { params: idParam("clusterId", "cls") },
      responses: { 200: jsonContent(clusterDetailSchema, "The cluster") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { clusterId } = c.req.valid("param");
      const { db } = c.get("services");
      const rows = await db
        .select({ cluster: ciClusters, testsAffected })
        .from(ciClusters)
        .where(and(eq(ciClusters.orgId, orgId), eq(ciClusters.id, clusterId)))
        .limit(1);
      const row = rows[0];
      if (!row) throw notFound("Cluster");
      const failures = sql<number>`count(*)`;
      const tests = await db
        .select({ id: ciTests.id, name: ciTests.name, suite: ciTests.suite, file: ciTests.file, failures })
        .from(ciResults)
        .innerJoin(ciTests, and(eq(ciTests.id, ciResults.testId), eq(ciTests.orgId, orgId)))
        .where(and(eq(ciResults.orgId, orgId), eq(ciResults.clusterId, clusterId)))
        .groupBy(ciTests.id)
        .orderBy(desc(failures))
        .limit(50);
      return c.json(
        {
          ...toCluster(row.cluster, Number(row.testsAffected)),
          tests: tests.map((t) => ({ ...t, failures: Number(t.failures) })),
        },
        200,
      );
    },
  );
}
