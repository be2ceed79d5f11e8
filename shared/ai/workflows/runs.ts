import { and, eq, inArray, lt, or } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db/client.ts";
import { pageMatching, roundRowsIn } from "../../db/org-scoped.ts";
import { aiWorkflowRuns, type Workflow, type WorkflowStatus } from "../../db/schema/ai.ts";
import { projectRepositories } from "../../db/schema/insight.ts";
import { newId } from "../../ids.ts";
import type { PageQuery } from "../../pagination.ts";
import type { DomainEvent, InboundEvent } from "../../webhooks/domain-events.ts";
import type { OutgoingMessage, WorkflowMessage } from "../../webhooks/message.ts";
import type { EventContext, WorkflowPlanner } from "../../webhooks/processing.ts";

export type WorkflowRun = typeof aiWorkflowRuns.$inferSelect;
type Trigger = { workflow: Workflow; subject: string; repository: string | null };

const PR_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);
const FAILED = new Set(["failure", "failed", "timed_out"]);

/**
 * Which workflows an inbound event starts, read from the domain events the webhook consumer records
 * for it (shared/webhooks/domain-events.ts), so both agree on what a payload means.
 */
function workflowTriggers(event: InboundEvent, domainEvents: DomainEvent[], payload: unknown): Trigger[] {
  const action = (payload as { action?: unknown } | null)?.action;
  return domainEvents.flatMap((d): Trigger[] => {
    if (
      d.table === "change" &&
      d.kind === "pull_request" &&
      typeof action === "string" &&
      PR_ACTIONS.has(action)
    )
      return [{ workflow: "pr_review", subject: d.externalId, repository: d.repository }];
    if (d.table === "deployment" && d.state === "success")
      return [
        {
          workflow: "deploy_monitor",
          subject: `${event.provider}:${d.externalId}`,
          repository: d.repository,
        },
      ];
    if (d.table === "incident")
      return [{ workflow: "incident_jira", subject: `${event.provider}:${d.externalId}`, repository: null }];
    if (d.table === "ci_pipeline" && d.conclusion !== null && FAILED.has(d.conclusion))
      return [
        {
          workflow: "failure_triage",
          subject: `${d.repository ?? "?"}@${d.commitSha ?? d.externalId}`,
          repository: d.repository,
        },
      ];
    return [];
  });
}

async function projectFor(db: Db, orgId: string, context: EventContext, repository: string | null) {
  if (context.projectId || !repository) return context.projectId;
  const [row] = await db
    .select({ projectId: projectRepositories.projectId })
    .from(projectRepositories)
    .where(and(eq(projectRepositories.orgId, orgId), eq(projectRepositories.repository, repository)))
    .limit(1);
  return row?.projectId ?? null;
}

/** The runs' rows go into the event's own batch: a run exists exactly when its event was applied. */
export const workflowPlanner: WorkflowPlanner = {
  async plan(db, event, domainEvents, payload, context) {
    const items: BatchItem<"sqlite">[] = [];
    for (const trigger of workflowTriggers(event, domainEvents, payload)) {
      const projectId = await projectFor(db, event.orgId, context, trigger.repository);
      items.push(
        db
          .insert(aiWorkflowRuns)
          .values({
            id: newId("wfr", context.now),
            orgId: event.orgId,
            projectId,
            workflow: trigger.workflow,
            eventId: event.id,
            round: event.round,
            subject: trigger.subject.slice(0, 300),
            status: "queued",
            tokens: 0,
            costMicros: 0,
            attempts: 0,
            createdAt: context.now,
            updatedAt: context.now,
          })
          .onConflictDoNothing(),
      );
    }
    return items;
  },
  async pending(db, event) {
    const runs = await roundRowsIn(db, aiWorkflowRuns, event, "queued");
    return runs.map((run): OutgoingMessage => ({ body: workflowMessage(run) }));
  },
};

export const workflowMessage = (run: { orgId: string; id: string }): WorkflowMessage => ({
  kind: "workflow",
  orgId: run.orgId,
  runId: run.id,
});

/** A claimed run is not taken by a second consumer for this long (then it is presumed lost). */
export const RUN_LEASE_MS = 5 * 60 * 1000;

/**
 * How long a run may sit without progress before the webhooks sweeper presumes its queue message lost:
 * longer than a retry's back-off (at most 40 s over MAX_RUN_ATTEMPTS), a deploy monitor's re-check
 * (5 minutes) and a claim's lease.
 */
export const RUN_STUCK_AFTER_MS = 10 * 60 * 1000;

/**
 * Runs whose `workflow` message was lost: queued, watching or leased-out (`running`) with no update
 * for RUN_STUCK_AFTER_MS. Re-sending is harmless: claimRun lets exactly one consumer take a run, and
 * a finished run is not claimable. Cross-tenant by design (a system job); each message has its org.
 */
export async function findStuckRuns(db: Db, now: number, limit = 200): Promise<WorkflowMessage[]> {
  const rows = await db
    .select({ id: aiWorkflowRuns.id, orgId: aiWorkflowRuns.orgId })
    .from(aiWorkflowRuns)
    .where(
      and(
        inArray(aiWorkflowRuns.status, ["queued", "watching", "running"]),
        lt(aiWorkflowRuns.updatedAt, now - RUN_STUCK_AFTER_MS),
      ),
    )
    .limit(limit);
  return rows.map(workflowMessage);
}

/** Takes a queued or watching run (or one whose lease ran out); null when another consumer has it. */
export async function claimRun(
  db: Db,
  orgId: string,
  runId: string,
  now: number,
): Promise<WorkflowRun | null> {
  const rows = await db
    .update(aiWorkflowRuns)
    .set({ status: "running", updatedAt: now })
    .where(
      and(
        eq(aiWorkflowRuns.orgId, orgId),
        eq(aiWorkflowRuns.id, runId),
        or(
          inArray(aiWorkflowRuns.status, ["queued", "watching"]),
          and(eq(aiWorkflowRuns.status, "running"), lt(aiWorkflowRuns.updatedAt, now - RUN_LEASE_MS)),
        ),
      ),
    )
    .returning();
  return rows[0] ?? null;
}

export type RunResult = {
  status: Exclude<WorkflowStatus, "queued" | "running">;
  outcome: string;
  targetUrl?: string | null;
  tokens?: number;
  costMicros?: number;
};

export async function finishRun(db: Db, run: WorkflowRun, result: RunResult, now: number) {
  await db
    .update(aiWorkflowRuns)
    .set({
      status: result.status,
      outcome: result.outcome.slice(0, 2000),
      targetUrl: result.targetUrl ?? run.targetUrl,
      tokens: run.tokens + (result.tokens ?? 0),
      costMicros: run.costMicros + (result.costMicros ?? 0),
      attempts: run.attempts + 1,
      error: null,
      updatedAt: now,
    })
    .where(and(eq(aiWorkflowRuns.orgId, run.orgId), eq(aiWorkflowRuns.id, run.id)));
}

/** A failed attempt: back to queued for the retry, or failed for good after the last one. */
export async function failRun(db: Db, run: WorkflowRun, error: string, final: boolean, now: number) {
  await db
    .update(aiWorkflowRuns)
    .set({
      status: final ? "failed" : "queued",
      error: error.slice(0, 1000),
      attempts: run.attempts + 1,
      updatedAt: now,
    })
    .where(and(eq(aiWorkflowRuns.orgId, run.orgId), eq(aiWorkflowRuns.id, run.id)));
}

export function listWorkflowRuns(
  db: Db,
  orgId: string,
  page: PageQuery,
  filter: { workflow?: Workflow; projectId?: string },
) {
  return pageMatching(db, aiWorkflowRuns, orgId, page, {
    workflow: filter.workflow,
    projectId: filter.projectId,
  });
}
