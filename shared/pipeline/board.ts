import { and, count, desc, eq } from "drizzle-orm";
import { type BoardSnapshot, LEAD_STATUSES, type LeadStatus } from "../contract/pipeline.ts";
import type { Db } from "../db/client.ts";
import { leads } from "../db/schema/pipeline.ts";
import { toCard } from "./rows.ts";

/** Newest cards shown per column. */
export const CARDS_PER_COLUMN = 12;

/** Counts per status and the newest cards of each column: what a viewer loads before its socket's frames. */
export async function boardSnapshot(db: Db, orgId: string): Promise<BoardSnapshot> {
  const counted = await db
    .select({ status: leads.status, n: count() })
    .from(leads)
    .where(eq(leads.orgId, orgId))
    .groupBy(leads.status);
  const counts = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;
  for (const row of counted) counts[row.status] = row.n;
  const columns = await Promise.all(
    LEAD_STATUSES.map((status) =>
      db
        .select()
        .from(leads)
        .where(and(eq(leads.orgId, orgId), eq(leads.status, status)))
        .orderBy(desc(leads.updatedAt))
        .limit(CARDS_PER_COLUMN),
    ),
  );
  return { counts, cards: columns.flat().map(toCard) };
}
