// A manual session's timeline as a generation job (docs/test-generation.md, "From a session"): the
// session's mirrored events are planned into one spec, stored like any other generation.
import type { AuditContext } from "../audit/repository.ts";
import type { Generation } from "../contract/generation.ts";
import type { Db } from "../db/client.ts";
import { ApiError } from "../errors.ts";
import { allEvents } from "../sessions/repository.ts";
import { requireSession } from "../sessions/service.ts";
import { storeGeneration } from "./service.ts";
import { planSession } from "./session-plan.ts";
import { renderSessionPlan } from "./session-render.ts";

export async function createSessionGeneration(
  deps: { db: Db; artifacts: R2Bucket; now: number },
  orgId: string,
  sessionId: string,
  ctx: AuditContext,
): Promise<Generation> {
  const session = await requireSession(deps.db, orgId, sessionId);
  const events = await allEvents(deps.db, orgId, sessionId);
  if (!events.some((e) => e.kind === "step")) {
    throw new ApiError("unprocessable", "The session has no recorded steps to turn into a test");
  }
  const plan = planSession(session, events);
  const result = { files: renderSessionPlan(plan, sessionId), figures: plan.figures };
  return storeGeneration(deps, orgId, session.projectId, ctx, plan.appUrl, result, { sessionId });
}
