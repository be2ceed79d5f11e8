import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.ts";
import {
  changeRecords,
  ciPipelineRecords,
  deploymentRecords,
  incidentRecords,
} from "../db/schema/webhooks.ts";
import { type IdPrefix, newId } from "../ids.ts";
import type {
  ChangeEvent,
  CiPipelineEvent,
  DeploymentEvent,
  DomainEvent,
  IncidentEvent,
} from "./domain-events.ts";

/** Where a domain event came from: the webhook event that carried it, and its source's project. */
export type DomainEventContext = {
  orgId: string;
  provider: string;
  eventId: string;
  projectId: string | null;
  environment: string | null;
  now: number;
};

const excluded = (column: string) => sql.raw(`excluded.${column}`);

/**
 * One upsert per domain event, keyed on (org, provider, [kind,] external id). The update only applies
 * when the incoming state is at least as new as the stored one (source_updated_at), so redeliveries
 * and out-of-order deliveries never move a record backwards.
 */
export function upsertDomainEvent(db: Db, ctx: DomainEventContext, event: DomainEvent) {
  switch (event.table) {
    case "ci_pipeline":
      return upsertCiPipeline(db, ctx, event);
    case "deployment":
      return upsertDeployment(db, ctx, event);
    case "change":
      return upsertChange(db, ctx, event);
    case "incident":
      return upsertIncident(db, ctx, event);
  }
}

/** The columns every record shares on insert: its id, where it came from and when. */
function recordValues<F>(prefix: IdPrefix, ctx: DomainEventContext, fields: F) {
  return {
    id: newId(prefix, ctx.now),
    provider: ctx.provider,
    projectId: ctx.projectId,
    ...fields,
    orgId: ctx.orgId,
    lastEventId: ctx.eventId,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

/** `column = excluded.column` for each named column: the incoming state replaces the stored one. */
function latest<T extends Record<K, SQLiteColumn>, K extends keyof T & string>(
  t: T,
  keys: K[],
): Record<K, SQL> {
  return Object.fromEntries(keys.map((key) => [key, excluded(t[key].name)])) as Record<K, SQL>;
}

/**
 * The conflict clause every record shares: on its external key, apply `set` (plus the project when it was
 * unknown, and the bookkeeping columns) only when the incoming state is at least as new as the stored one.
 */
function newerState<S extends Record<string, SQL>>(
  t: { projectId: SQLiteColumn; sourceUpdatedAt: SQLiteColumn },
  target: SQLiteColumn[],
  set: S,
) {
  return {
    target,
    set: {
      projectId: sql`COALESCE(${t.projectId}, excluded.project_id)`,
      ...set,
      sourceUpdatedAt: excluded("source_updated_at"),
      lastEventId: excluded("last_event_id"),
      updatedAt: excluded("updated_at"),
    },
    setWhere: sql`excluded.source_updated_at >= ${t.sourceUpdatedAt}`,
  };
}

function upsertCiPipeline(db: Db, ctx: DomainEventContext, { table: _table, ...fields }: CiPipelineEvent) {
  const t = ciPipelineRecords;
  return db
    .insert(t)
    .values(recordValues("cip", ctx, fields))
    .onConflictDoUpdate(
      newerState(
        t,
        [t.orgId, t.provider, t.kind, t.externalId],
        latest(t, ["name", "status", "conclusion", "commitSha", "branch", "htmlUrl", "repository"]),
      ),
    );
}

function upsertDeployment(db: Db, ctx: DomainEventContext, { table: _table, ...fields }: DeploymentEvent) {
  const t = deploymentRecords;
  return db
    .insert(t)
    .values(recordValues("dep", ctx, fields))
    .onConflictDoUpdate(
      newerState(
        t,
        [t.orgId, t.provider, t.externalId],
        latest(t, ["environment", "state", "commitSha", "ref", "url"]),
      ),
    );
}

function upsertChange(db: Db, ctx: DomainEventContext, { table: _table, ...fields }: ChangeEvent) {
  const t = changeRecords;
  return db
    .insert(t)
    .values(recordValues("chg", ctx, fields))
    .onConflictDoUpdate(
      newerState(t, [t.orgId, t.provider, t.kind, t.externalId], {
        ...latest(t, ["title", "state", "commitSha", "url"]),
        branch: sql`COALESCE(excluded.branch, ${t.branch})`,
        mergedAt: sql`COALESCE(excluded.merged_at, ${t.mergedAt})`,
      }),
    );
}

function upsertIncident(db: Db, ctx: DomainEventContext, { table: _table, ...fields }: IncidentEvent) {
  const t = incidentRecords;
  return db
    .insert(t)
    .values(
      recordValues("inc", ctx, {
        environment: ctx.environment,
        openedAt: fields.sourceUpdatedAt,
        resolvedAt: fields.status === "resolved" ? fields.sourceUpdatedAt : null,
        ...fields,
      }),
    )
    .onConflictDoUpdate(
      newerState(t, [t.orgId, t.provider, t.externalId], {
        ...latest(t, ["title", "status"]),
        severity: sql`COALESCE(excluded.severity, ${t.severity})`,
        url: sql`COALESCE(excluded.url, ${t.url})`,
        resolvedAt: sql`CASE WHEN excluded.status = 'resolved' THEN excluded.source_updated_at ELSE NULL END`,
      }),
    );
}
