import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import type { Db } from "../db/client.ts";
import { ciClusters, ciResults, ciRuns, ciTests } from "../db/schema/ci.ts";
import { batchable } from "./batchable.ts";
import {
  CLUSTER_KEYS,
  type IngestPlan,
  RESULT_KEYS,
  type RunMeta,
  TEST_IDENTITY_KEYS,
  TEST_STATE_KEYS,
} from "./ingest-plan.ts";
import { encodeRows, jsonInserts, jsonUpdates } from "./json-rows.ts";

/** How many quarantine changes the audit row lists (the rest are counted in the run). */
const AUDITED_IDS = 50;

/**
 * Writes an ingest plan as ONE atomic D1 batch with its audit row: new tests, updated tests, the run,
 * new clusters, cluster counts, results (results reference all the others).
 */
export async function writeIngestPlan(
  db: Db,
  plan: IngestPlan,
  meta: RunMeta,
  ctx: AuditContext,
): Promise<void> {
  const { run } = plan;
  await auditedBatch(
    db,
    run.orgId,
    ctx,
    {
      action: "run.ingest",
      targetType: "run",
      targetId: run.id,
      changes: {
        projectId: run.projectId,
        format: run.format,
        total: run.total,
        failed: run.failed,
        gate: run.gateStatus,
        newTests: plan.newTests.length,
        newClusters: plan.newClusters.length,
        quarantined: plan.quarantined.slice(0, AUDITED_IDS),
        released: plan.released.slice(0, AUDITED_IDS),
      },
    },
    () => statementsFor(db, plan, meta),
  );
}

function statementsFor(db: Db, plan: IngestPlan, meta: RunMeta): BatchItem<"sqlite">[] {
  const { run } = plan;
  const scope = { orgId: run.orgId, projectId: run.projectId };
  const statements: BatchItem<"sqlite">[] = [];
  const newTestKeys = [...TEST_IDENTITY_KEYS, ...TEST_STATE_KEYS];
  statements.push(...jsonInserts(db, ciTests, newTestKeys, scope, plan.newTests));
  statements.push(...jsonUpdates(db, ciTests, TEST_STATE_KEYS, run.orgId, plan.updatedTests));
  statements.push(db.insert(ciRuns).values(run));
  const firstSeen = {
    ...scope,
    firstRunId: run.id,
    firstCommit: meta.commit,
    firstSeenAt: run.createdAt,
    lastRunId: run.id,
    lastSeenAt: run.createdAt,
  };
  statements.push(...jsonInserts(db, ciClusters, CLUSTER_KEYS, firstSeen, plan.newClusters));
  for (const chunk of encodeRows(plan.clusterBumps, ["id", "count"])) {
    statements.push(
      batchable(
        db,
        sql`UPDATE ci_clusters SET count = count + json_extract(j.value, '$[1]'), last_run_id = ${run.id},
        last_seen_at = ${run.createdAt} FROM json_each(${chunk}) AS j
        WHERE ci_clusters.id = json_extract(j.value, '$[0]') AND +ci_clusters.org_id = ${run.orgId}`,
      ),
    );
  }
  const resultScope = {
    ...scope,
    runId: run.id,
    commitSha: meta.commit,
    branch: meta.branch,
    createdAt: run.createdAt,
  };
  statements.push(...jsonInserts(db, ciResults, RESULT_KEYS, resultScope, plan.results));
  return statements;
}
