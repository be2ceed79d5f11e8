import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { HealRequest } from "../../../shared/contract/healing.ts";
import { requireInOrg } from "../../../shared/db/org-scoped.ts";
import { projects } from "../../../shared/db/schema/tenancy.ts";
import { healAndRecord } from "../../../shared/healing/store/attempts.ts";
import { closeMcpSession, findMcpSession, getMcpPolicy, openMcpSession } from "../../../shared/mcp/policy.ts";
import {
  handleRpc,
  PROTOCOL_VERSIONS,
  RPC,
  type RpcRequest,
  rpcError,
  rpcRequestSchema,
} from "../../../shared/mcp/server.ts";
import type { ToolContext } from "../../../shared/mcp/tools.ts";
import { ApiError } from "../../errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { consume } from "../../middleware/rate-limit.ts";
import type { Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { healTiebreaker } from "../healing/engine-options.ts";
import { roomActorOf, roomsOf } from "../sessions/room-access.ts";

const mcp = routeGroup({ tags: ["MCP"] });

const SESSION_HEADER = "mcp-session-id";
const rpcBody = z.record(z.string(), z.unknown()).openapi({ description: "One JSON-RPC 2.0 message" });

/**
 * `POST /mcp`: the Model Context Protocol over Streamable HTTP, answering with JSON (no SSE stream,
 * so `GET /mcp` is 405 as the transport allows). `initialize` opens a session (`Mcp-Session-Id`);
 * every other request must carry it, and its tool calls count against the org's per-session limit.
 */
const mcpRoute = mcp.post("/mcp", {
  summary: "MCP endpoint (JSON-RPC 2.0 over Streamable HTTP)",
  description:
    "Body: one JSON-RPC 2.0 message (application/json). Tools: ci_status, list_flaky_tests, get_run, heal_selector, list_sessions, create_session, add_session_note, list_webhook_events, replay_webhook_event. Each needs its tier's permission on the key; refusals are tool errors (`isError: true`).",
  bodyLimitBytes: 12 * 1024 * 1024, // heal_selector may carry a DOM, as POST /v1/heal does
  // The handler parses the body itself (no declared request body, so no framework validation): a
  // parse error must be a JSON-RPC error, not a problem document.
  bodyTypes: "any",
  errors: [404, 415],
  responses: {
    200: { description: "The JSON-RPC response", content: { "application/json": { schema: rpcBody } } },
    202: { description: "A notification or response was accepted" },
  },
});

mcp.handle(mcpRoute, async function mcpHandler(c) {
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new ApiError("unsupported_media_type", "Send JSON-RPC messages as application/json");
  }
  const version = c.req.header("mcp-protocol-version");
  if (version && !(PROTOCOL_VERSIONS as readonly string[]).includes(version)) {
    throw new ApiError(
      "bad_request",
      `Unsupported MCP-Protocol-Version; use ${PROTOCOL_VERSIONS.join(" or ")}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    return c.json(rpcError(null, RPC.parse, "Parse error: the body is not JSON"), 400);
  }
  const parsed = rpcRequestSchema.safeParse(raw);
  if (!parsed.success) {
    // Results and errors a client sends back (we never ask it anything) are acknowledged, others refused.
    if (raw && typeof raw === "object" && !Array.isArray(raw) && !("method" in raw)) return c.body(null, 202);
    return c.json(
      rpcError(null, RPC.invalidRequest, "Invalid Request: one JSON-RPC 2.0 message per POST"),
      400,
    );
  }
  const request = parsed.data;
  const { sessionId, created } = await resolveSession(c, request);
  const response = await handleRpc(await callOf(c, sessionId), request);
  if (created) c.header("Mcp-Session-Id", created);
  if (!response) return c.body(null, 202);
  return c.json(response, 200);
});

async function resolveSession(c: Context<HonoEnv>, request: RpcRequest) {
  const { db } = c.get("services");
  const orgId = orgIdOf(c);
  const actorId = c.get("principal").actorId;
  if (request.method === "initialize") {
    const client = (request.params?.clientInfo as { name?: unknown } | undefined)?.name;
    const name = typeof client === "string" ? client.slice(0, 200) : null;
    const created = await openMcpSession(db, orgId, actorId, name);
    return { sessionId: created, created };
  }
  const header = c.req.header(SESSION_HEADER);
  if (!header) throw new ApiError("bad_request", "Send the Mcp-Session-Id header from initialize");
  if (!(await findMcpSession(db, orgId, actorId, header))) {
    throw new ApiError("not_found", "MCP session not found; initialize a new one");
  }
  return { sessionId: header, created: null };
}

async function callOf(c: Context<HonoEnv>, sessionId: string | null) {
  const services = c.get("services");
  const orgId = orgIdOf(c);
  const tools: ToolContext = {
    db: services.db,
    orgId,
    audit: auditContext(c),
    rooms: roomsOf(c),
    roomActor: (session) => roomActorOf(c, session),
    heal: (request) => heal(c, orgId, request),
    webhooks: services,
    artifacts: services.artifacts,
    now: services.clock,
  };
  return {
    tools,
    permissions: c.get("principal").permissions,
    policy: await getMcpPolicy(services.db, orgId),
    sessionId,
    chargeRate: async (tool: { name: string }) => {
      if (tool.name === "heal_selector") await consume(c, orgId, "heal", 1);
    },
    logger: services.logger,
    now: services.clock,
  };
}

async function heal(c: Context<HonoEnv>, orgId: string, request: HealRequest) {
  const services = c.get("services");
  if (request.projectId) await requireInOrg(services.db, projects, orgId, request.projectId, "Project");
  const { result, exampleStored } = await healAndRecord(services, orgId, request, healTiebreaker(c, orgId));
  c.executionCtx.waitUntil(exampleStored);
  return result;
}

const deleteSessionRoute = mcp.delete("/mcp", {
  summary: "End an MCP session (Mcp-Session-Id)",
  responses: { 204: { description: "Ended" } },
});

mcp.handle(deleteSessionRoute, async function deleteSessionHandler(c) {
  const header = c.req.header(SESSION_HEADER);
  if (!header) throw new ApiError("bad_request", "Send the Mcp-Session-Id header to end");
  await closeMcpSession(c.get("services").db, orgIdOf(c), header);
  return c.body(null, 204);
});

export const registerMcpServerRoutes = (app: Router) => mcp.register(app);
