import { and, eq, inArray, lt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { ciArtifacts } from "../db/schema/ci-artifacts.ts";
import { organizations } from "../db/schema/tenancy.ts";
import type { Plan } from "../tenancy/plans.ts";

/** How long failure artifacts are kept, by plan (docs/artifacts.md, "Retention"). */
export const ARTIFACT_RETENTION_DAYS: Record<Plan, number> = { free: 14, pro: 30, enterprise: 90 };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Artifacts removed per statement (R2's bulk delete takes up to 1000 keys) and statements per run. */
const BATCH = 500;
const BATCHES_PER_RUN = 20;

/**
 * Removes the artifacts older than their organisation's plan keeps them: the R2 objects first, then
 * their index rows, in bounded batches (what is left waits for the next daily run). A row whose object
 * is already gone is removed all the same, so a half-finished batch is finished by the next run.
 */
export async function expireArtifacts(
  deps: { db: Db; artifacts: R2Bucket },
  now: number,
): Promise<{ counts: Record<string, number> }> {
  let removed = 0;
  let bytes = 0;
  for (const [plan, days] of Object.entries(ARTIFACT_RETENTION_DAYS) as [Plan, number][]) {
    const cutoff = now - days * DAY_MS;
    for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
      const expired = await deps.db
        .select({ id: ciArtifacts.id, r2Key: ciArtifacts.r2Key, size: ciArtifacts.size })
        .from(ciArtifacts)
        .innerJoin(organizations, eq(organizations.id, ciArtifacts.orgId))
        .where(and(eq(organizations.plan, plan), lt(ciArtifacts.createdAt, cutoff)))
        .limit(BATCH);
      if (expired.length === 0) break;
      await deps.artifacts.delete(expired.map((a) => a.r2Key));
      await deps.db.delete(ciArtifacts).where(
        inArray(
          ciArtifacts.id,
          expired.map((a) => a.id),
        ),
      );
      removed += expired.length;
      bytes += expired.reduce((sum, a) => sum + a.size, 0);
      if (expired.length < BATCH) break;
    }
  }
  return { counts: { artifactsRemoved: removed, bytesRemoved: bytes } };
}
