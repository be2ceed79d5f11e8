import type { BoardFrame } from "../contract/pipeline.ts";
import { ArmCache, type ContactPlan, experimentFor, planContact, recordContacts } from "./contact.ts";
import type { PipelineDeps } from "./deps.ts";
import {
  leadIdsOf,
  leadMessages,
  type OutreachMessage,
  rawMessageSchema,
  type StageMessage,
  scoredMessageSchema,
  stageRetryDelay,
} from "./messages.ts";
import { outreachEndpoints } from "./outbound.ts";
import {
  activeExperiments,
  type ExperimentRow,
  leadsByIds,
  type Statement,
  scoreStatements,
  thresholdOf,
} from "./repository.ts";
import { frameOf } from "./rows.ts";
import { scoreLead } from "./scoring.ts";

type Parsed<T> = { message: StageMessage; body: T };

/** Splits a batch into well-formed bodies per org; malformed ones are acked and logged (never retried). */
function byOrg<T extends { orgId: string }>(
  messages: readonly StageMessage[],
  parse: (body: unknown) => { success: true; data: T } | { success: false },
): Map<string, Parsed<T>[]> {
  const groups = new Map<string, Parsed<T>[]>();
  for (const message of messages) {
    const parsed = parse(message.body);
    if (!parsed.success) {
      console.error(JSON.stringify({ level: "error", msg: "malformed pipeline message dropped" }));
      message.ack();
      continue;
    }
    const group = groups.get(parsed.data.orgId) ?? [];
    group.push({ message, body: parsed.data });
    groups.set(parsed.data.orgId, group);
  }
  return groups;
}

/** Runs `work` for one org's messages: all acked when it succeeds, all retried with backoff when not. */
async function settle<T>(group: Parsed<T>[], deps: PipelineDeps, work: () => Promise<void>) {
  try {
    await work();
    for (const { message } of group) message.ack();
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "pipeline stage failed", error: String(error) }));
    for (const { message } of group) {
      message.retry({ delaySeconds: stageRetryDelay(message.attempts, deps.random, deps.backoffScale) });
    }
  }
}

/** Stage leads.raw: score every raw lead once, then publish it to leads.scored. */
export async function consumeRaw(messages: readonly StageMessage[], deps: PipelineDeps): Promise<void> {
  const groups = byOrg(messages, (b) => rawMessageSchema.safeParse(b));
  await Promise.all(
    [...groups].map(([orgId, group]) =>
      settle(group, deps, async () => {
        const rows = await leadsByIds(deps.db, orgId, [...new Set(group.flatMap((g) => leadIdsOf(g.body)))]);
        const now = deps.now();
        const frames: BoardFrame[] = [];
        const forward: string[] = [];
        const scored: { id: string; score: number; persona: string; reasons: string[] }[] = [];
        for (const lead of rows) {
          if (lead.status === "scored") forward.push(lead.id); // scored before, publish lost: forward again
          if (lead.status !== "raw") continue;
          const result = await scoreLead(lead, { ai: deps.ai });
          scored.push({ id: lead.id, ...result });
          frames.push(
            frameOf({ ...lead, status: "scored", ...result, scoredAt: now, updatedAt: now }, "raw"),
          );
          forward.push(lead.id);
        }
        // One transaction: a retry finds the leads scored (and only forwards them) or still raw.
        if (scored.length > 0) await deps.db.batch(scoreStatements(deps.db, orgId, scored, now));
        await deps.publishScored(leadMessages("leads.scored", orgId, forward));
        await deps.notify(orgId, frames);
      }),
    ),
  );
}

/** Stage leads.scored: leads at or above the org's threshold get a variant and are contacted. */
export async function consumeScored(messages: readonly StageMessage[], deps: PipelineDeps): Promise<void> {
  const groups = byOrg(messages, (b) => scoredMessageSchema.safeParse(b));
  await Promise.all(
    [...groups].map(([orgId, group]) =>
      settle(group, deps, async () => {
        const { db } = deps;
        const rows = await leadsByIds(db, orgId, [...new Set(group.flatMap((g) => leadIdsOf(g.body)))]);
        const waiting = rows.filter((l) => l.status === "scored");
        if (waiting.length === 0) return;
        const [threshold, active, endpoints] = await Promise.all([
          thresholdOf(db, orgId),
          activeExperiments(db, orgId),
          outreachEndpoints(db, orgId),
        ]);
        const arms = new ArmCache(db);
        const now = deps.now();
        const mode = endpoints.length > 0 ? "deliver" : "record";
        const plans: { experiment: ExperimentRow; plan: ContactPlan }[] = [];
        for (const lead of waiting) {
          const experiment = experimentFor(lead, active);
          if ((lead.score ?? 0) < threshold || !experiment) continue;
          plans.push({
            experiment,
            plan: await planContact(lead, experiment, arms, deps.random, now, { mode }),
          });
        }
        // The whole queue batch in one D1 batch of a few multi-row statements (see recordContacts).
        const statements = recordContacts(db, orgId, plans, ["scored"], now);
        if (statements.length > 0) await db.batch(statements as [Statement, ...Statement[]]);
        const frames = plans.map(({ plan }) => frameOf(plan.lead, "scored"));
        const sends: OutreachMessage[] =
          mode === "deliver"
            ? plans.map(({ plan }) => ({
                topic: "outreach.events",
                kind: "send",
                orgId,
                leadId: plan.lead.id,
              }))
            : [];
        await deps.publishOutreach(sends);
        await deps.notify(orgId, frames);
      }),
    ),
  );
}
