import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { ClusterDetail } from "../contract/ci.ts";
import type { Db } from "../db/client.ts";
import { ciClusters, ciResults, ciTests } from "../db/schema/ci.ts";
import { notFound } from "../errors.ts";
import { type PageQuery, toPage } from "../pagination.ts";
import { requireCiProject } from "./project.ts";
import { toCluster } from "./views.ts";

// Spelled out: drizzle renders a column in a single-table select unqualified, which the subquery would
// resolve against ci_results instead of the outer row.
const testsAffected = sql<number>`(SELECT count(DISTINCT r.test_id) FROM ci_results r
  WHERE r.cluster_id = "ci_clusters"."id" AND r.org_id = "ci_clusters"."org_id")`;

/** Tests the detail view lists per cluster (those with the most failures). */
const CLUSTER_DETAIL_TESTS = 50;

export async function listClusters(db: Db, orgId: string, projectId: string, page: PageQuery) {
  await requireCiProject(db, orgId, projectId);
  const rows = await db
    .select({ cluster: ciClusters, testsAffected })
    .from(ciClusters)
    .where(
      and(
        eq(ciClusters.orgId, orgId),
        eq(ciClusters.projectId, projectId),
        page.cursor ? lt(ciClusters.id, page.cursor) : undefined,
      ),
    )
    .orderBy(desc(ciClusters.id))
    .limit(page.limit + 1);
  const clusters = rows.map((r) => toCluster(r.cluster, Number(r.testsAffected)));
  return toPage(clusters, page.limit);
}

export async function getClusterDetail(db: Db, orgId: string, clusterId: string): Promise<ClusterDetail> {
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
    .limit(CLUSTER_DETAIL_TESTS);
  return {
    ...toCluster(row.cluster, Number(row.testsAffected)),
    tests: tests.map((t) => ({ ...t, failures: Number(t.failures) })),
  };
}
