import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  changeRecords,
  ciPipelineRecords,
  deploymentRecords,
  incidentRecords,
} from "../db/schema/webhooks.ts";
import { newId } from "../ids.ts";
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

const base = (ctx: DomainEventContext) => ({
  orgId: ctx.orgId,
  lastEventId: ctx.eventId,
  createdAt: ctx.now,
  updatedAt: ctx.now,
});

function upsertCiPipeline(db: Db, ctx: DomainEventContext, event: CiPipelineEvent) {
  const t = ciPipelineRecords;
  const { table: _table, ...fields } = event;
  return db
    .insert(t)
    .values({
      id: newId("cip", ctx.now),
      provider: ctx.provider,
      projectId: ctx.projectId,
      ...fields,
      ...base(ctx),
    })
    .onConflictDoUpdate({
      target: [t.orgId, t.provider, t.kind, t.externalId],
      set: {
        name: excluded("name"),
        status: excluded("status"),
        conclusion: excluded("conclusion"),
        commitSha: excluded("commit_sha"),
        branch: excluded("branch"),
        htmlUrl: excluded("html_url"),
        repository: excluded("repository"),
        projectId: sql`COALESCE(${t.projectId}, excluded.project_id)`,
        sourceUpdatedAt: excluded("source_updated_at"),
        lastEventId: excluded("last_event_id"),
        updatedAt: excluded("updated_at"),
      },
      setWhere: sql`excluded.source_updated_at >= ${t.sourceUpdatedAt}`,
    });
}

function upsertDeployment(db: Db, ctx: DomainEventContext, event: DeploymentEvent) {
  const t = deploymentRecords;
  const { table: _table, ...fields } = event;
  return db
    .insert(t)
    .values({
      id: newId("dep", ctx.now),
      provider: ctx.provider,
      projectId: ctx.projectId,
      ...fields,
      ...base(ctx),
    })
    .onConflictDoUpdate({
      target: [t.orgId, t.provider, t.externalId],
      set: {
        projectId: sql`COALESCE(${t.projectId}, excluded.project_id)`,
        environment: excluded("environment"),
        state: excluded("state"),
        commitSha: excluded("commit_sha"),
        ref: excluded("ref"),
        url: excluded("url"),
        sourceUpdatedAt: excluded("source_updated_at"),
        lastEventId: excluded("last_event_id"),
        updatedAt: excluded("updated_at"),
      },
      setWhere: sql`excluded.source_updated_at >= ${t.sourceUpdatedAt}`,
    });
}

function upsertChange(db: Db, ctx: DomainEventContext, event: ChangeEvent) {
  const t = changeRecords;
  const { table: _table, ...fields } = event;
  return db
    .insert(t)
    .values({
      id: newId("chg", ctx.now),
      provider: ctx.provider,
      projectId: ctx.projectId,
      ...fields,
      ...base(ctx),
    })
    .onConflictDoUpdate({
      target: [t.orgId, t.provider, t.kind, t.externalId],
      set: {
        projectId: sql`COALESCE(${t.projectId}, excluded.project_id)`,
        title: excluded("title"),
        state: excluded("state"),
        branch: sql`COALESCE(excluded.branch, ${t.branch})`,
        commitSha: excluded("commit_sha"),
        url: excluded("url"),
        mergedAt: sql`COALESCE(excluded.merged_at, ${t.mergedAt})`,
        sourceUpdatedAt: excluded("source_updated_at"),
        lastEventId: excluded("last_event_id"),
        updatedAt: excluded("updated_at"),
      },
      setWhere: sql`excluded.source_updated_at >= ${t.sourceUpdatedAt}`,
    });
}

function upsertIncident(db: Db, ctx: DomainEventContext, event: IncidentEvent) {
  const t = incidentRecords;
  const { table: _table, ...fields } = event;
  return db
    .insert(t)
    .values({
      id: newId("inc", ctx.now),
      provider: ctx.provider,
      projectId: ctx.projectId,
      environment: ctx.environment,
      openedAt: fields.sourceUpdatedAt,
      resolvedAt: fields.status === "resolved" ? fields.sourceUpdatedAt : null,
      ...fields,
      ...base(ctx),
    })
    .onConflictDoUpdate({
      target: [t.orgId, t.provider, t.externalId],
      set: {
        projectId: sql`COALESCE(${t.projectId}, excluded.project_id)`,
        title: excluded("title"),
        status: excluded("status"),
        severity: sql`COALESCE(excluded.severity, ${t.severity})`,
        url: sql`COALESCE(excluded.url, ${t.url})`,
        resolvedAt: sql`CASE WHEN excluded.status = 'resolved' THEN excluded.source_updated_at ELSE NULL END`,
        sourceUpdatedAt: excluded("source_updated_at"),
        lastEventId: excluded("last_event_id"),
        updatedAt: excluded("updated_at"),
      },
      setWhere: sql`excluded.source_updated_at >= ${t.sourceUpdatedAt}`,
    });
}
