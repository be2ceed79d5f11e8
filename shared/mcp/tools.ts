import { z } from "zod";
import type { AuditContext } from "../audit/repository.ts";
import { getRun, getRunGate, listRuns } from "../ci/runs.ts";
import { listFlakyTests } from "../ci/tests.ts";
import { type HealRequest, type HealResult, healRequestSchema } from "../contract/healing.ts";
import { insightWindowQuerySchema } from "../contract/insight.ts";
import type { McpTier, McpToolName } from "../contract/mcp.ts";
import { createSessionSchema, sessionListQuery } from "../contract/sessions.ts";
import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { projects } from "../db/schema/index.ts";
import { EVENT_STATUSES } from "../db/schema/webhooks.ts";
import { createSessionGeneration } from "../generation/session-service.ts";
import { resolveWindow } from "../insight/dora-repository.ts";
import { doraFromRollups } from "../insight/rollup-dora.ts";
import type { SessionRow } from "../sessions/repository.ts";
import type { RoomActor, RoomDirectory } from "../sessions/room.ts";
import { createSession, listSessions, requireActiveSession } from "../sessions/service.ts";
import { postEvent } from "../sessions/timeline.ts";
import type { Permission } from "../tenancy/permissions.ts";
import { listEvents } from "../webhooks/events.ts";
import { replayEvent, type WebhookServices } from "../webhooks/lifecycle.ts";

/** What a tool may touch: the caller's org and the domains' dependencies, never a binding or a URL. */
export type ToolContext = {
  db: Db;
  orgId: string;
  audit: AuditContext;
  rooms: RoomDirectory;
  roomActor: (session: SessionRow) => Promise<RoomActor>;
  heal: (request: HealRequest) => Promise<HealResult>;
  webhooks: WebhookServices;
  /** Where generated files are kept (generations are stored like the API's). */
  artifacts: R2Bucket;
  now: () => number;
};

export type McpTool = {
  name: McpToolName;
  description: string;
  tier: McpTier;
  permission: Permission;
  input: z.ZodType;
  run: (ctx: ToolContext, args: never) => Promise<unknown>;
};

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `a ${prefix}_… id`);
const limit = z.number().int().min(1).max(100).default(10);

function tool<S extends z.ZodType>(
  spec: Omit<McpTool, "input" | "run"> & {
    input: S;
    run: (ctx: ToolContext, args: z.output<S>) => Promise<unknown>;
  },
): McpTool {
  return spec as unknown as McpTool;
}

const ciStatus = tool({
  name: "ci_status",
  description:
    "Latest CI runs of a project (optionally one branch or commit) and the quality gate of the newest.",
  tier: "read",
  permission: "runs:read",
  input: z.strictObject({
    projectId: id("prj"),
    branch: z.string().min(1).max(255).optional(),
    commit: z.string().min(4).max(64).optional(),
    limit: z.number().int().min(1).max(20).default(5),
  }),
  run: async ({ db, orgId }, { projectId, branch, commit, limit }) => {
    // A commit filter looks through a larger page, since runs are listed newest first per branch.
    const page = await listRuns(db, orgId, projectId, { limit: commit ? 100 : limit, branch });
    const runs = (commit ? page.items.filter((r) => r.commit?.startsWith(commit)) : page.items).slice(
      0,
      limit,
    );
    const latest = runs[0];
    return { runs, gate: latest ? await getRunGate(db, orgId, latest.id) : null };
  },
});

const listFlaky = tool({
  name: "list_flaky_tests",
  description: "Tests of a project currently classified as flaky, with their statistics.",
  tier: "read",
  permission: "runs:read",
  input: z.strictObject({ projectId: id("prj"), limit }),
  run: ({ db, orgId }, { projectId, limit }) => listFlakyTests(db, orgId, projectId, { limit }),
});

const getRunTool = tool({
  name: "get_run",
  description: "One CI run with its counts and quality gate.",
  tier: "read",
  permission: "runs:read",
  input: z.strictObject({ runId: id("run") }),
  run: ({ db, orgId }, { runId }) => getRun(db, orgId, runId),
});

const healSelector = tool({
  name: "heal_selector",
  description:
    "Heal a broken locator: send the old element and the live page's candidates, or the DOM (same body as POST /v1/heal).",
  tier: "exec",
  permission: "heal:write",
  input: healRequestSchema,
  run: (ctx, request) => ctx.heal(request),
});

const listSessionsTool = tool({
  name: "list_sessions",
  description: "Manual test sessions of the organisation or one project, newest first.",
  tier: "read",
  permission: "sessions:read",
  input: z.strictObject({ projectId: id("prj").optional(), status: sessionListQuery.shape.status, limit }),
  run: ({ db, orgId }, { projectId, status, limit }) => listSessions(db, orgId, { limit, status }, projectId),
});

const createSessionTool = tool({
  name: "create_session",
  description: "Start a manual test session in a project.",
  tier: "write",
  permission: "sessions:write",
  input: z.strictObject({ projectId: id("prj"), session: createSessionSchema }),
  run: ({ db, orgId, audit }, { projectId, session }) => createSession(db, orgId, audit, projectId, session),
});

const addSessionNote = tool({
  name: "add_session_note",
  description: "Append a note to an active session's timeline (seen live by its participants).",
  tier: "write",
  permission: "sessions:write",
  input: z.strictObject({ sessionId: id("ses"), text: z.string().trim().min(1).max(8000) }),
  run: async (ctx, { sessionId, text }) => {
    const session = await requireActiveSession(ctx.db, ctx.orgId, sessionId);
    return postEvent(ctx.db, ctx.rooms, session, await ctx.roomActor(session), { type: "note", text });
  },
});

const listWebhookEvents = tool({
  name: "list_webhook_events",
  description: "Inbound webhook events, newest first, optionally by status.",
  tier: "read",
  permission: "webhooks:read",
  input: z.strictObject({ status: z.enum(EVENT_STATUSES).optional(), limit }),
  run: ({ db, orgId }, { status, limit }) => listEvents(db, orgId, { limit, status }),
});

const replayWebhookEvent = tool({
  name: "replay_webhook_event",
  description: "Process an inbound webhook event again (a new round: handlers and deliveries).",
  tier: "exec",
  permission: "webhooks:manage",
  input: z.strictObject({ eventId: id("evt") }),
  run: ({ webhooks, orgId, audit }, { eventId }) => replayEvent(webhooks, orgId, audit, eventId),
});

const generateTests = tool({
  name: "generate_tests",
  description:
    "Turn a manual session's recorded steps into a Playwright spec (same as POST /v1/sessions/{id}/generate); returns the generation with its files.",
  tier: "exec",
  permission: "runs:write",
  input: z.strictObject({ sessionId: id("ses") }),
  run: ({ db, artifacts, now, orgId, audit }, { sessionId }) =>
    createSessionGeneration({ db, artifacts, now: now() }, orgId, sessionId, audit),
});

const doraMetrics = tool({
  name: "dora_metrics",
  description:
    "DORA four keys (deployment frequency, lead time, change failure rate, time to restore) with bands, for a project or the whole organisation; default window the last 28 days.",
  tier: "read",
  permission: "projects:read",
  input: z.strictObject({
    projectId: id("prj").optional(),
    from: insightWindowQuerySchema.shape.from,
    to: insightWindowQuerySchema.shape.to,
  }),
  run: async ({ db, orgId, now }, { projectId, from, to }) => {
    if (projectId) await requireInOrg(db, projects, orgId, projectId, "Project");
    return doraFromRollups(db, orgId, projectId ?? null, resolveWindow({ from, to }, now()));
  },
});

/** Every tool, in the order tools/list returns them. */
export const MCP_TOOLS: readonly McpTool[] = [
  ciStatus,
  listFlaky,
  getRunTool,
  healSelector,
  listSessionsTool,
  createSessionTool,
  addSessionNote,
  listWebhookEvents,
  replayWebhookEvent,
  generateTests,
  doraMetrics,
];

/** The tool's JSON Schema for tools/list (MCP wants an object schema at the top). */
export function toolInputJsonSchema(t: McpTool): Record<string, unknown> {
  const schema = z.toJSONSchema(t.input, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete schema.$schema;
  return { type: "object", ...schema };
}
