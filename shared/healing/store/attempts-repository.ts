import { and, count, desc, eq, gte, isNotNull, lt, lte, type SQL, sql } from "drizzle-orm";
import type { HealAttemptFilter, HealOutcome, HealStatsFilter } from "../../contract/healing.ts";
import type { Db } from "../../db/client.ts";
import { healAttempts } from "../../db/schema/healing.ts";

export type HealAttemptRow = typeof healAttempts.$inferSelect;

/** The person's verdict on a heal: what retraining learns from. */
export type AttemptVerdict = {
  accepted: boolean;
  correctIndex: number | null;
  correctSelector: string | null;
  by: string;
  at: number;
};

export async function insertAttempt(db: Db, row: typeof healAttempts.$inferInsert): Promise<void> {
  await db.insert(healAttempts).values(row);
}

export function recordVerdictStatement(db: Db, orgId: string, attemptId: string, verdict: AttemptVerdict) {
  return db
    .update(healAttempts)
    .set({
      feedbackAccepted: verdict.accepted,
      feedbackCorrectIndex: verdict.correctIndex,
      feedbackCorrectSelector: verdict.correctSelector,
      feedbackAt: verdict.at,
      feedbackBy: verdict.by,
    })
    .where(and(eq(healAttempts.orgId, orgId), eq(healAttempts.id, attemptId)));
}

const OUTCOME: Record<HealOutcome, SQL> = {
  healed: eq(healAttempts.healed, true),
  abstained: eq(healAttempts.healed, false),
  accepted: eq(healAttempts.feedbackAccepted, true),
  rejected: eq(healAttempts.feedbackAccepted, false),
  unreviewed: sql`${healAttempts.feedbackAt} IS NULL AND ${healAttempts.healed} = 1`,
  suggested: sql`${healAttempts.feedbackAt} IS NULL AND ${healAttempts.healed} = 0 AND ${healAttempts.suggestionConfidence} IS NOT NULL`,
};

function scope(orgId: string, filter: HealStatsFilter): SQL | undefined {
  return and(
    eq(healAttempts.orgId, orgId),
    filter.projectId ? eq(healAttempts.projectId, filter.projectId) : undefined,
    filter.from !== undefined ? gte(healAttempts.createdAt, filter.from) : undefined,
    filter.to !== undefined ? lte(healAttempts.createdAt, filter.to) : undefined,
  );
}

/** Newest first, `limit + 1` rows (for `toPage`). */
export function selectAttempts(
  db: Db,
  orgId: string,
  filter: HealAttemptFilter & { cursor?: string; limit: number },
): Promise<HealAttemptRow[]> {
  return db
    .select()
    .from(healAttempts)
    .where(
      and(
        scope(orgId, filter),
        filter.cursor ? lt(healAttempts.id, filter.cursor) : undefined,
        filter.outcome ? OUTCOME[filter.outcome] : undefined,
        filter.strategy ? eq(healAttempts.strategy, filter.strategy) : undefined,
      ),
    )
    .orderBy(desc(healAttempts.id))
    .limit(filter.limit + 1);
}

/** Raw counts of one group of attempts (SQLite may hand sums back as strings or nulls). */
export type AttemptCounts = {
  key: string | null;
  attempts: number;
  healed: number;
  reviewed: number;
  accepted: number;
  avgConfidence: number | null;
};

/** Counts overall, per strategy and per project (attempts without a project count only overall). */
export async function countAttempts(db: Db, orgId: string, filter: HealStatsFilter) {
  const where = scope(orgId, filter);
  const measures = {
    attempts: count(),
    healed: sql<number>`COALESCE(SUM(${healAttempts.healed}), 0)`,
    reviewed: sql<number>`COUNT(${healAttempts.feedbackAt})`,
    accepted: sql<number>`COALESCE(SUM(CASE WHEN ${healAttempts.feedbackAccepted} = 1 THEN 1 ELSE 0 END), 0)`,
    avgConfidence: sql<
      number | null
    >`AVG(CASE WHEN ${healAttempts.healed} = 1 THEN ${healAttempts.confidence} END)`,
  };
  const [overall, byStrategy, byProject] = await Promise.all([
    db
      .select({ key: sql<null>`NULL`, ...measures })
      .from(healAttempts)
      .where(where),
    db
      .select({ key: healAttempts.strategy, ...measures })
      .from(healAttempts)
      .where(where)
      .groupBy(healAttempts.strategy),
    db
      .select({ key: healAttempts.projectId, ...measures })
      .from(healAttempts)
      .where(and(where, isNotNull(healAttempts.projectId)))
      .groupBy(healAttempts.projectId),
  ]);
  return { overall: overall[0] as AttemptCounts | undefined, byStrategy, byProject };
}
