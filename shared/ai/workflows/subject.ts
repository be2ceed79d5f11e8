import { and, eq } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db/client.ts";
import type { deploymentRecords, incidentRecords } from "../../db/schema/webhooks.ts";
import type { WorkflowRun } from "./runs.ts";

/** `<provider>:<externalId>`: the subject runs.ts gives a run about a deployment or an incident. */
export function providerSubject(run: WorkflowRun): { provider: string; externalId: string } {
  const [provider, ...rest] = run.subject.split(":");
  return { provider: provider ?? "", externalId: rest.join(":") };
}

/** The deployment or incident record of the run's organisation that its subject names, or null. */
export async function subjectRecord<T extends typeof deploymentRecords | typeof incidentRecords>(
  db: Db,
  table: T,
  run: WorkflowRun,
): Promise<T["$inferSelect"] | null> {
  const { provider, externalId } = providerSubject(run);
  const [row] = await db
    .select()
    .from(table as SQLiteTable)
    .where(and(eq(table.orgId, run.orgId), eq(table.provider, provider), eq(table.externalId, externalId)))
    .limit(1);
  return (row as T["$inferSelect"] | undefined) ?? null;
}
