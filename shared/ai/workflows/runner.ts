import { and, eq } from "drizzle-orm";
import type { Workflow } from "../../db/schema/ai.ts";
import { webhookEvents } from "../../db/schema/webhooks.ts";
import { emitShiftyEvent } from "../../notifications/events.ts";
import type { ConsumerDeps } from "../../webhooks/consumer.ts";
import { parsePayload } from "../../webhooks/domain-events.ts";
import type { QueueMessageLike, WorkflowMessage } from "../../webhooks/message.ts";
import { processingRetryDelay } from "../../webhooks/routing.ts";
import { runDeployMonitor } from "./deploy-monitor.ts";
import type { WorkflowDeps } from "./deps.ts";
import { runFailureTriage } from "./failure-triage.ts";
import { runIncidentJira } from "./incident-jira.ts";
import { runPrReview } from "./pr-review.ts";
import { claimRun, failRun, finishRun, type RunResult, type WorkflowRun, workflowMessage } from "./runs.ts";

/** A run that failed this many times is marked failed for good (its error kept on the row). */
export const MAX_RUN_ATTEMPTS = 5;

type Step = (
  deps: WorkflowDeps,
  run: WorkflowRun,
  payload: unknown,
) => Promise<RunResult & { recheckSeconds?: number }>;

const STEPS: Record<Workflow, Step> = {
  pr_review: runPrReview,
  deploy_monitor: runDeployMonitor,
  incident_jira: runIncidentJira,
  failure_triage: runFailureTriage,
};

/** The settings a workflow needs beyond what the webhook consumer already has. */
export type WorkflowSettings = Pick<
  WorkflowDeps,
  "llm" | "githubApiUrl" | "publicUrl" | "retry" | "workersAi" | "spendAiToken"
>;

/**
 * The consumer's `runWorkflow` (shared/webhooks/consumer.ts): claim the run, run its step, record the
 * result; a watching run is re-queued with a delay; a failure is retried with the consumer's back-off
 * until MAX_RUN_ATTEMPTS.
 */
export function workflowRunner(settings: WorkflowSettings) {
  return async (msg: WorkflowMessage, message: QueueMessageLike, consumer: ConsumerDeps) => {
    const deps: WorkflowDeps = {
      ...settings,
      db: consumer.db,
      fetch: consumer.fetch,
      now: consumer.now,
      logger: consumer.logger,
      encryptionKey: consumer.encryptionKey,
      allowLoopback: consumer.allowLoopback,
      // Events a workflow emits go out through the same queue the consumer reads.
      emit: (event) =>
        emitShiftyEvent(
          {
            db: consumer.db,
            queue: {
              send: (body) => consumer.enqueue([{ body }]),
              sendBatch: (messages) => consumer.enqueue(messages),
            },
            logger: consumer.logger,
            now: consumer.now(),
          },
          event,
        ),
    };
    const run = await claimRun(deps.db, msg.orgId, msg.runId, deps.now());
    if (!run) {
      message.ack();
      return;
    }
    try {
      const [event] = await deps.db
        .select({ body: webhookEvents.body })
        .from(webhookEvents)
        .where(and(eq(webhookEvents.orgId, run.orgId), eq(webhookEvents.id, run.eventId)))
        .limit(1);
      const result = await STEPS[run.workflow](deps, run, parsePayload(event?.body ?? "null"));
      await finishRun(deps.db, run, result, deps.now());
      if (result.status === "watching") {
        await consumer.enqueue([
          {
            body: workflowMessage(run),
            delaySeconds: Math.round((result.recheckSeconds ?? 0) * consumer.backoffScale),
          },
        ]);
      }
      message.ack();
    } catch (error) {
      const final = run.attempts + 1 >= MAX_RUN_ATTEMPTS;
      const detail = String(error instanceof Error ? error.message : error);
      deps.logger.warn("workflow run failed", {
        runId: run.id,
        workflow: run.workflow,
        final,
        error: detail,
      });
      await failRun(deps.db, run, detail, final, deps.now());
      if (final) message.ack();
      else
        message.retry({
          delaySeconds: processingRetryDelay(message.attempts, consumer.random, consumer.backoffScale),
        });
    }
  };
}
