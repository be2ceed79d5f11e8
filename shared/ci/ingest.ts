import type { AuditContext } from "../audit/repository.ts";
import { type Db, isUniqueViolation } from "../db/client.ts";
import { newId } from "../ids.ts";
import { signaturesFor } from "./clustering.ts";
import { DEFAULT_FLAKY_POLICY } from "./flaky.ts";
import { failuresToCluster, type NewlyFlakyTest, type PlanInput, planIngest } from "./ingest-plan.ts";
import {
  findDuplicateRun,
  loadClustersBySignature,
  loadNextRunNumber,
  loadReference,
  loadTestsByKey,
} from "./ingest-state.ts";
import { writeIngestPlan } from "./ingest-writer.ts";
import { testKey } from "./report.ts";
import { loadCiSettings } from "./settings.ts";
import type { RunRow } from "./views.ts";

/** Ingest of one parsed report: load the state it meets, plan the changes, write them in one batch. */

/** What the caller states; the failure signatures and new ids are worked out here. */
export type IngestInput = Omit<PlanInput, "signatures" | "newId" | "now" | "policy"> &
  Partial<Pick<PlanInput, "now" | "policy">>;

export type IngestOutcome = {
  run: RunRow;
  created: boolean;
  quarantined: string[];
  released: string[];
  newlyFlaky: NewlyFlakyTest[];
};

const MAX_ATTEMPTS = 3;

export async function ingestRun(db: Db, input: IngestInput, ctx: AuditContext): Promise<IngestOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestOnce(db, input, ctx);
    } catch (error) {
      if (isUniqueViolation(error, "ci_runs")) {
        const { orgId, projectId, meta, reportHash } = input;
        const existing = await findDuplicateRun(
          db,
          orgId,
          projectId,
          meta.provider,
          meta.buildId,
          reportHash,
        );
        if (existing) return { run: existing, created: false, quarantined: [], released: [], newlyFlaky: [] };
      }
      // A concurrent upload created the same new test or cluster first: recompute on the new state.
      const raced =
        isUniqueViolation(error, "ci_tests") ||
        isUniqueViolation(error, "ci_clusters") ||
        isUniqueViolation(error, "ci_runs.number");
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function ingestOnce(db: Db, input: IngestInput, ctx: AuditContext): Promise<IngestOutcome> {
  const { orgId, projectId, report, meta } = input;
  const now = input.now ?? Date.now();
  // One signature per failure detail, hashed once per distinct normal form.
  const failing = failuresToCluster(report);
  const [settings, tests, reference, signatures, nextNumber] = await Promise.all([
    loadCiSettings(db, orgId, projectId),
    loadTestsByKey(db, orgId, projectId, report.tests.map(testKey)),
    loadReference(db, orgId, projectId, meta),
    signaturesFor(failing.map((f) => f.failure)),
    loadNextRunNumber(db, orgId, projectId),
  ]);
  const clusters = await loadClustersBySignature(db, orgId, projectId, [...new Set(signatures)]);
  const plan = planIngest(
    {
      ...input,
      signatures: new Map(failing.map((f, i) => [f.index, signatures[i]!])),
      now,
      policy: input.policy ?? DEFAULT_FLAKY_POLICY,
      newId: (prefix) => newId(prefix, now),
    },
    { settings, tests, clusters, reference, nextNumber },
  );
  await writeIngestPlan(db, plan, meta, ctx);
  const { quarantined, released, newlyFlaky } = plan;
  return { run: plan.run, created: true, quarantined, released, newlyFlaky };
}
