import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/client.ts";
import { jobRuns } from "../db/schema/tenancy.ts";
import { newId } from "../ids.ts";

export type JobOutcome = { counts?: Record<string, number>; status?: "succeeded" | "skipped" };

/**
 * Runs `work` at most once per `runKey` (e.g. `rollups:2026-11-26T10:05`): the UNIQUE run_key claims the
 * run before any work, so an overlapping or repeated trigger records nothing twice. A failed run is
 * recorded as failed and may be retried under the same key later (the failed row is replaced).
 */
export async function runJobOnce(
  db: Db,
  job: string,
  runKey: string,
  orgId: string | null,
  work: () => Promise<JobOutcome>,
): Promise<{ ran: boolean; status: string; counts?: Record<string, number> }> {
  const id = newId("job");
  const startedAt = Date.now();
  try {
    await db.insert(jobRuns).values({ id, job, orgId, runKey, status: "running", startedAt });
  } catch (error) {
    if (!isUniqueViolation(error, "job_runs")) throw error;
    const existing = await db.select().from(jobRuns).where(eq(jobRuns.runKey, runKey)).limit(1);
    if (existing[0]?.status !== "failed") return { ran: false, status: existing[0]?.status ?? "unknown" };
    await db.delete(jobRuns).where(eq(jobRuns.runKey, runKey));
    return runJobOnce(db, job, runKey, orgId, work);
  }
  try {
    const outcome = await work();
    const status = outcome.status ?? "succeeded";
    await db
      .update(jobRuns)
      .set({ status, counts: outcome.counts ?? {}, finishedAt: Date.now() })
      .where(eq(jobRuns.id, id));
    return { ran: true, status, counts: outcome.counts };
  } catch (error) {
    await db
      .update(jobRuns)
      .set({ status: "failed", error: String(error).slice(0, 2000), finishedAt: Date.now() })
      .where(eq(jobRuns.id, id));
    throw error;
  }
}
