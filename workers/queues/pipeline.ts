import { and, eq, lte } from "drizzle-orm";
import type { BoardFrame } from "../../shared/contract/pipeline.ts";
import { createDb } from "../../shared/db/client.ts";
import { leads } from "../../shared/db/schema/pipeline.ts";
import type { JobOutcome } from "../../shared/jobs/job-runs.ts";
import type { PipelineDeps } from "../../shared/pipeline/deps.ts";
import {
  leadMessages,
  type OutreachMessage,
  type RawMessage,
  type ScoredMessage,
} from "../../shared/pipeline/messages.ts";
import { consumeDeadLetters, consumeOutreach } from "../../shared/pipeline/outreach-stage.ts";
import { consumeRaw, consumeScored } from "../../shared/pipeline/stages.ts";
import type { Env } from "../env.ts";
import { createServices, type Services } from "../services.ts";

/** Cloudflare Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

export async function publish(queue: Queue<unknown>, bodies: readonly unknown[]) {
  for (let i = 0; i < bodies.length; i += SEND_BATCH) {
    await queue.sendBatch(bodies.slice(i, i + SEND_BATCH).map((body) => ({ body })));
  }
}

/** Posts frames to the org's board; a board that is down never fails the stage. */
export async function notifyBoard(
  services: Pick<Services, "boards" | "logger">,
  orgId: string,
  frames: BoardFrame[],
) {
  if (frames.length === 0) return;
  try {
    const stub = services.boards.get(services.boards.idFromName(orgId));
    await stub.fetch("https://board.internal/notify", { method: "POST", body: JSON.stringify(frames) });
  } catch (error) {
    services.logger.warn("board notify failed", { orgId, error: String(error) });
  }
}

/** The stages' collaborators from a request's or a consumer's services. */
export function pipelineDeps(services: Services, overrides: Partial<PipelineDeps> = {}): PipelineDeps {
  const { config } = services;
  return {
    db: services.db,
    now: services.clock,
    random: Math.random,
    publishScored: (m: ScoredMessage[]) => publish(services.queues.leadsScored, m),
    publishOutreach: (m: OutreachMessage[]) => publish(services.queues.outreachEvents, m),
    notify: (orgId, frames) => notifyBoard(services, orgId, frames),
    fetch: (input, init) => fetch(input, init),
    encryptionKey: config.encryptionKey,
    allowLoopback: config.allowLoopbackWebhooks && config.appEnv === "development",
    backoffScale: config.webhooksBackoffScale,
    ...overrides,
  };
}

export const publishRaw = (services: Services) => (m: RawMessage[]) => publish(services.queues.leadsRaw, m);

const depsOf = (env: Env) => pipelineDeps(createServices(env, { component: "pipeline" }));

export const PIPELINE_QUEUE_HANDLERS = {
  "leads-raw": (batch: MessageBatch<unknown>, env: Env) => consumeRaw(batch.messages, depsOf(env)),
  "leads-scored": (batch: MessageBatch<unknown>, env: Env) => consumeScored(batch.messages, depsOf(env)),
  "outreach-events": (batch: MessageBatch<unknown>, env: Env) => consumeOutreach(batch.messages, depsOf(env)),
  "pipeline-dlq": (batch: MessageBatch<unknown>, env: Env) => consumeDeadLetters(batch.messages, depsOf(env)),
};

/** The leads' messages of one topic, grouped by organisation (a message belongs to one org). */
function byOrgMessages<T extends "leads.raw" | "leads.scored">(
  topic: T,
  rows: { id: string; orgId: string }[],
) {
  const ids = new Map<string, string[]>();
  for (const row of rows) {
    const list = ids.get(row.orgId) ?? [];
    list.push(row.id);
    ids.set(row.orgId, list);
  }
  return [...ids].flatMap(([orgId, leadIds]) => leadMessages(topic, orgId, leadIds));
}

/**
 * Every 5 minutes: snoozed leads whose time has come go back to the stage they were snoozed from, and
 * raw leads older than a minute (their publish was lost) are published again.
 */
/** Shaped like workers/cron/jobs.ts CronJob (not imported: jobs.ts imports this file). */
export const pipelineWakeJob: {
  name: string;
  run: (env: Env, ctx: ExecutionContext, at: number) => Promise<JobOutcome>;
} = {
  name: "pipeline-wake",
  run: async (env, _ctx, at) => {
    const db = createDb(env.DB);
    const due = await db
      .select({ id: leads.id, orgId: leads.orgId, score: leads.score })
      .from(leads)
      .where(and(eq(leads.status, "snoozed"), lte(leads.snoozedUntil, at)))
      .limit(1000);
    for (const lead of due) {
      await db
        .update(leads)
        .set({ status: lead.score === null ? "raw" : "scored", snoozedUntil: null, updatedAt: at })
        .where(and(eq(leads.id, lead.id), eq(leads.status, "snoozed")));
    }
    const stale = await db
      .select({ id: leads.id, orgId: leads.orgId })
      .from(leads)
      .where(and(eq(leads.status, "raw"), lte(leads.updatedAt, at - 60_000)))
      .limit(5000);
    await publish(
      env.LEADS_RAW,
      byOrgMessages("leads.raw", [...stale, ...due.filter((d) => d.score === null)]),
    );
    await publish(
      env.LEADS_SCORED,
      byOrgMessages(
        "leads.scored",
        due.filter((d) => d.score !== null),
      ),
    );
    return { counts: { woken: due.length, republished: stale.length } };
  },
};
