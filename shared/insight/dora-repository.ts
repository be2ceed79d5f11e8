import { and, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { AuditContext } from "../audit/repository.ts";
import { auditedBatch } from "../audit/repository.ts";
import { DEFAULT_WINDOW_MS, type InsightWindowQuery, MAX_WINDOW_MS } from "../contract/insight.ts";
import { conflictOnDuplicate, type Db } from "../db/client.ts";
import { requireInOrg, selectColumnsInOrg } from "../db/org-scoped.ts";
import { projectRepositories } from "../db/schema/insight.ts";
import { projects } from "../db/schema/tenancy.ts";
import { changeRecords, deploymentRecords, incidentRecords } from "../db/schema/webhooks.ts";
import { ApiError } from "../errors.ts";
import type { DoraChange, DoraInput } from "./dora.ts";

/** Loads the records one DORA report needs, scoped to an organisation and optionally a project. */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Environment names that mean production (GitHub and GitLab let teams name them freely). */
const PRODUCTION = ["prod", "production", "live"];

export function resolveWindow(query: InsightWindowQuery, now: number): { from: number; to: number } {
  const to = query.to ?? now;
  const from = query.from ?? to - DEFAULT_WINDOW_MS;
  if (from >= to) throw new ApiError("bad_request", "`from` must be before `to`");
  if (to - from > MAX_WINDOW_MS) throw new ApiError("bad_request", "The window is at most 366 days");
  // Rollups are hourly (./rollup-dora.ts): the window widens to whole hours, which also gives the
  // default window one cache key per hour.
  return { from: Math.floor(from / HOUR_MS) * HOUR_MS, to: Math.ceil(to / HOUR_MS) * HOUR_MS };
}

/** Records of the project: from its sources, or from a repository mapped to it. */
function ofProject(
  db: Db,
  orgId: string,
  projectId: string,
  t: typeof deploymentRecords | typeof changeRecords,
): SQL {
  const mapped = db
    .select({ repository: projectRepositories.repository })
    .from(projectRepositories)
    .where(and(eq(projectRepositories.orgId, orgId), eq(projectRepositories.projectId, projectId)));
  return or(eq(t.projectId, projectId), inArray(t.repository, mapped)) as SQL;
}

/**
 * The records one DORA computation over [from, to) needs, for the organisation or one project:
 * production deployments from a week before `from` (the commits live before a rollback) to a week
 * after `to` (later deployments reveal rollbacks), the changes of their commits, and incidents.
 */
export async function loadDoraInput(
  db: Db,
  orgId: string,
  projectId: string | null,
  window: { from: number; to: number },
): Promise<DoraInput> {
  const { from, to } = window;
  const d = deploymentRecords;
  const production = and(
    eq(d.orgId, orgId),
    gte(d.sourceUpdatedAt, from - 7 * DAY_MS),
    lt(d.sourceUpdatedAt, to + 7 * DAY_MS),
    inArray(sql`lower(${d.environment})`, PRODUCTION),
    projectId ? ofProject(db, orgId, projectId, d) : undefined,
  );
  const deployments = (
    await db
      .select({ commitSha: d.commitSha, state: d.state, at: d.sourceUpdatedAt, failedAt: d.changeFailedAt })
      .from(d)
      .where(production)
  ).map(({ failedAt, ...row }) => ({ ...row, changeFailed: failedAt !== null }));
  // One query for the changes of those commits (a rollup sees thousands of deployments).
  const c = changeRecords;
  const changes: DoraChange[] = await db
    .select({ kind: c.kind, commitSha: c.commitSha, authoredAt: c.authoredAt, mergedAt: c.mergedAt })
    .from(c)
    .where(
      and(
        eq(c.orgId, orgId),
        inArray(c.commitSha, db.select({ sha: d.commitSha }).from(d).where(production)),
      ),
    );
  const x = incidentRecords;
  const incidents = await selectColumnsInOrg(
    db,
    { openedAt: x.openedAt, resolvedAt: x.resolvedAt },
    x,
    orgId,
    gte(x.openedAt, from),
    lt(x.openedAt, to + DAY_MS),
    projectId ? eq(x.projectId, projectId) : undefined,
  );
  return { from, to, deployments, changes, incidents };
}

export async function listProjectRepositories(db: Db, orgId: string, projectId: string) {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const rows = await db
    .select({ repository: projectRepositories.repository })
    .from(projectRepositories)
    .where(and(eq(projectRepositories.orgId, orgId), eq(projectRepositories.projectId, projectId)))
    .orderBy(projectRepositories.repository);
  return { repositories: rows.map((r) => r.repository) };
}

/**
 * Replaces the project's repositories. A repository belongs to one project: one already mapped to
 * another project is a 409 (unmap it there first) rather than silently moving its history.
 */
export async function setProjectRepositories(
  db: Db,
  orgId: string,
  audit: AuditContext,
  projectId: string,
  repositories: string[],
  now: number,
) {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const wanted = [...new Set(repositories)];
  const p = projectRepositories;
  if (wanted.length > 0) {
    const [taken] = await db
      .select({ repository: p.repository })
      .from(p)
      .where(and(eq(p.orgId, orgId), inArray(p.repository, wanted), sql`${p.projectId} <> ${projectId}`))
      .limit(1);
    if (taken) throw new ApiError("conflict", `${taken.repository} belongs to another project`);
  }
  const write = auditedBatch(
    db,
    orgId,
    audit,
    {
      action: "project.repositories.set",
      targetType: "project",
      targetId: projectId,
      changes: { repositories: wanted },
    },
    () => [
      db.delete(p).where(and(eq(p.orgId, orgId), eq(p.projectId, projectId))),
      ...wanted.map((repository) => db.insert(p).values({ orgId, projectId, repository, createdAt: now })),
    ],
  );
  // A concurrent mapping of the same repository to another project loses on the primary key.
  await conflictOnDuplicate(write, "project_repositories", "A repository was just mapped to another project");
  return { repositories: wanted.sort() };
}
