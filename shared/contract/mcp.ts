import { z } from "zod";

/** The MCP tools the server offers; the names are a contract with MCP clients. */
export const MCP_TOOL_NAMES = [
  "ci_status",
  "list_flaky_tests",
  "get_run",
  "heal_selector",
  "list_sessions",
  "create_session",
  "add_session_note",
  "list_webhook_events",
  "replay_webhook_event",
  "generate_tests",
  "dora_metrics",
] as const;
export type McpToolName = (typeof MCP_TOOL_NAMES)[number];

/** read → the domain's `:read` permission; write → its write permission; exec → runs work or re-sends. */
export const mcpTierSchema = z.enum(["read", "write", "exec"]).meta({ id: "McpTier" });
export type McpTier = z.infer<typeof mcpTierSchema>;

export const DEFAULT_SESSION_CALL_LIMIT = 200;

const toolName = z.enum(MCP_TOOL_NAMES);

export const mcpPolicySchema = z
  .object({
    allowedTools: z.array(toolName).nullable(),
    deniedTools: z.array(toolName),
    sessionCallLimit: z.number().int(),
    updatedAt: z.number().int().nullable(),
  })
  .meta({ id: "McpPolicy" });
export type McpPolicy = z.infer<typeof mcpPolicySchema>;

export const putMcpPolicySchema = z
  .strictObject({
    /** Null (or absent): every tool not denied. */
    allowedTools: z.array(toolName).max(MCP_TOOL_NAMES.length).nullable().default(null),
    deniedTools: z.array(toolName).max(MCP_TOOL_NAMES.length).default([]),
    sessionCallLimit: z.number().int().min(1).max(100_000).default(DEFAULT_SESSION_CALL_LIMIT),
  })
  .meta({ id: "PutMcpPolicy" });
export type PutMcpPolicy = z.input<typeof putMcpPolicySchema>;
