import { and, desc, eq, lt } from "drizzle-orm";
import type { GateEvaluation, ResultsQuery, RunsQuery } from "../contract/ci.ts";
import type { Db } from "../db/client.ts";
import { pageMatching, requireInOrg } from "../db/org-scoped.ts";
import { ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";
import { mapPage, toPage } from "../pagination.ts";
import { requireCiProject } from "./project.ts";
import { toResult, toRun } from "./views.ts";

/** Runs, their results and their gate: the read side of uploads (written by ingest.ts). */

export async function listRuns(db: Db, orgId: string, projectId: string, query: RunsQuery) {
  await requireCiProject(db, orgId, projectId);
  const { branch, status } = query;
  return mapPage(await pageMatching(db, ciRuns, orgId, query, { projectId, branch, status }), toRun);
}

const requireRun = (db: Db, orgId: string, runId: string) => requireInOrg(db, ciRuns, orgId, runId, "Run");

export async function getRun(db: Db, orgId: string, runId: string) {
  return toRun(await requireRun(db, orgId, runId));
}

export async function getRunGate(db: Db, orgId: string, runId: string): Promise<GateEvaluation> {
  const run = await requireRun(db, orgId, runId);
  return { status: run.gateStatus, reasons: run.gateReasons, evaluatedAt: run.gateEvaluatedAt };
}

export async function listRunResults(db: Db, orgId: string, runId: string, query: ResultsQuery) {
  await requireRun(db, orgId, runId);
  const { limit, cursor, status } = query;
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
  return toPage(
    rows.map((r) => toResult(r.result, r)),
    limit,
  );
}
