import { z } from "zod";
import { maskSecrets } from "../audit/chain.ts";
import { audit } from "../audit/repository.ts";
import type { McpPolicy } from "../contract/mcp.ts";
import { ApiError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Permission } from "../tenancy/permissions.ts";
import { chargeMcpSession, toolAllowed } from "./policy.ts";
import { MCP_TOOLS, type McpTool, type ToolContext, toolInputJsonSchema } from "./tools.ts";

/** Protocol revisions this server speaks, newest first (Streamable HTTP, JSON responses only). */
export const PROTOCOL_VERSIONS = ["2025-06-18", "2025-03-26"] as const;
const SERVER_INFO = { name: "shifty", version: "1.0.0" };
/** Audit rows keep arguments up to this size; larger ones (a DOM to heal) are summarised. */
const MAX_AUDITED_ARGUMENT_BYTES = 4096;

export const rpcRequestSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number().int()]).optional(),
  method: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type RpcRequest = z.infer<typeof rpcRequestSchema>;
type RpcId = string | number | null;
export type RpcResponse =
  | { jsonrpc: "2.0"; id: RpcId; result: unknown }
  | { jsonrpc: "2.0"; id: RpcId; error: { code: number; message: string; data?: unknown } };

export const RPC = { parse: -32700, invalidRequest: -32600, methodNotFound: -32601, invalidParams: -32602 };

export function rpcError(id: RpcId, code: number, message: string, data?: unknown): RpcResponse {
  return { jsonrpc: "2.0", id, error: data === undefined ? { code, message } : { code, message, data } };
}

/** Everything one request's calls need: the caller, its org's policy and session, the tools' context. */
export type McpCall = {
  tools: ToolContext;
  permissions: ReadonlySet<Permission>;
  policy: McpPolicy;
  sessionId: string | null;
  /** Charges the org's rate-limit bucket for a tool (heal_selector spends the `heal` policy). */
  chargeRate: (tool: McpTool) => Promise<void>;
  logger: Logger;
  now: () => number;
};

/** Answers one JSON-RPC message; null for a notification (the route answers 202 without a body). */
export async function handleRpc(call: McpCall, request: RpcRequest): Promise<RpcResponse | null> {
  if (request.id === undefined) return null;
  const id = request.id;
  switch (request.method) {
    case "initialize":
      return { jsonrpc: "2.0", id, result: initializeResult(request.params) };
    case "ping":
      return { jsonrpc: "2.0", id, result: {} };
    case "tools/list":
      return { jsonrpc: "2.0", id, result: { tools: listTools(call.policy) } };
    case "tools/call": {
      const params = z
        .object({ name: z.string(), arguments: z.unknown().optional() })
        .safeParse(request.params);
      if (!params.success) return rpcError(id, RPC.invalidParams, "tools/call needs params.name");
      const tool = MCP_TOOLS.find((t) => t.name === params.data.name);
      if (!tool) return rpcError(id, RPC.invalidParams, `Unknown tool: ${params.data.name}`);
      return { jsonrpc: "2.0", id, result: await callTool(call, tool, params.data.arguments ?? {}) };
    }
    default:
      return rpcError(id, RPC.methodNotFound, `Method not found: ${request.method}`);
  }
}

export function negotiateVersion(requested: unknown): string {
  return PROTOCOL_VERSIONS.find((v) => v === requested) ?? PROTOCOL_VERSIONS[0];
}

function initializeResult(params: Record<string, unknown> | undefined) {
  return {
    protocolVersion: negotiateVersion(params?.protocolVersion),
    capabilities: { tools: { listChanged: false } },
    serverInfo: SERVER_INFO,
    instructions:
      "Shifty: CI status and flaky tests, selector healing, manual test sessions and webhook events. " +
      "Each tool has a tier (read, write, exec) and needs the matching permission on your API key.",
  };
}

/** The tools the org's policy allows, with their tier and permission in `_meta`. */
export function listTools(policy: McpPolicy) {
  return MCP_TOOLS.filter((t) => toolAllowed(policy, t.name)).map((t) => ({
    name: t.name,
    description: `${t.description} [tier: ${t.tier}; needs ${t.permission}]`,
    inputSchema: toolInputJsonSchema(t),
    annotations: { readOnlyHint: t.tier === "read", destructiveHint: false, openWorldHint: false },
    _meta: { "shifty/tier": t.tier, "shifty/permission": t.permission },
  }));
}

type ToolResult = {
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

type RefusalOutcome = "denied" | "forbidden" | "invalid" | "limited" | "error";

class ToolRefusal extends Error {
  readonly outcome: RefusalOutcome;
  constructor(outcome: RefusalOutcome, message: string) {
    super(message);
    this.outcome = outcome;
  }
}

/**
 * Runs one tool call: policy → permission → session limit → rate limit → argument validation → use
 * case. Every refusal or failure is a tool error (`isError: true`), and every call, whatever its
 * outcome, is written to the audit log with its tier, masked arguments, outcome and duration.
 */
async function callTool(call: McpCall, tool: McpTool, args: unknown): Promise<ToolResult> {
  const started = call.now();
  let result: ToolResult;
  let outcome: string = "ok";
  try {
    const value = await runChecked(call, tool, args);
    const text = JSON.stringify(value ?? null);
    result = { content: [{ type: "text", text }] };
    if (value && typeof value === "object" && !Array.isArray(value)) {
      result.structuredContent = value as Record<string, unknown>;
    }
  } catch (error) {
    const refusal = asRefusal(error, call.logger, tool.name);
    outcome = refusal.outcome;
    result = { content: [{ type: "text", text: refusal.message }], isError: true };
  }
  await auditCall(call, tool, args, outcome, result, call.now() - started);
  return result;
}

async function runChecked(call: McpCall, tool: McpTool, args: unknown): Promise<unknown> {
  if (!toolAllowed(call.policy, tool.name)) {
    throw new ToolRefusal("denied", `The organisation's MCP policy does not allow ${tool.name}`);
  }
  if (!call.permissions.has(tool.permission)) {
    throw new ToolRefusal(
      "forbidden",
      `Missing permission: ${tool.permission} (${tool.name} is a ${tool.tier} tool)`,
    );
  }
  if (call.sessionId) {
    try {
      await chargeMcpSession(
        call.tools.db,
        call.tools.orgId,
        call.sessionId,
        call.policy.sessionCallLimit,
        call.now(),
      );
    } catch (error) {
      if (error instanceof ApiError) throw new ToolRefusal("limited", error.message);
      throw error;
    }
  }
  await call.chargeRate(tool);
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`);
    throw new ToolRefusal("invalid", `Invalid arguments for ${tool.name}: ${issues.join("; ")}`);
  }
  return tool.run(call.tools, parsed.data as never);
}

function asRefusal(error: unknown, logger: Logger, tool: string): ToolRefusal {
  if (error instanceof ToolRefusal) return error;
  if (error instanceof ApiError) {
    const outcome =
      error.code === "rate_limited" ? "limited" : error.code === "forbidden" ? "forbidden" : "error";
    return new ToolRefusal(outcome, `${error.code}: ${error.message}`);
  }
  logger.error("mcp tool failed", { tool, error: String(error) });
  return new ToolRefusal("error", `${tool} failed unexpectedly; the failure is logged`);
}

/** Arguments as the audit row keeps them: secrets masked, large payloads summarised. */
export function auditedArguments(args: unknown): unknown {
  const masked = maskSecrets(args);
  const json = JSON.stringify(masked ?? null);
  if (json.length <= MAX_AUDITED_ARGUMENT_BYTES) return masked;
  const keys = masked && typeof masked === "object" ? Object.keys(masked as object) : [];
  return { truncated: true, bytes: json.length, keys };
}

async function auditCall(
  call: McpCall,
  tool: McpTool,
  args: unknown,
  outcome: string,
  result: ToolResult,
  durationMs: number,
) {
  const changes: Record<string, unknown> = {
    tier: tool.tier,
    arguments: auditedArguments(args),
    outcome,
    durationMs,
    sessionId: call.sessionId,
  };
  if (result.isError) changes.error = result.content[0]?.text.slice(0, 500);
  try {
    await audit(call.tools.db, call.tools.orgId, call.tools.audit, {
      action: "mcp.tool_call",
      targetType: "mcp_tool",
      targetId: tool.name,
      changes,
    });
  } catch (error) {
    // The answer already exists; a lost audit row is logged loudly rather than failing the transport.
    call.logger.error("mcp audit failed", { tool: tool.name, error: String(error) });
  }
}
