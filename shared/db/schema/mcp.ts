import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, orgRow, timestamps } from "./columns.ts";

/** One row per organisation: which MCP tools its callers may use and how many calls a session gets. */
export const mcpPolicies = sqliteTable(
  "mcp_policies",
  {
    ...orgRow(),
    /** JSON array of tool names; null means every tool not denied. */
    allowedTools: text("allowed_tools", { mode: "json" }).$type<string[] | null>(),
    deniedTools: text("denied_tools", { mode: "json" }).$type<string[]>().notNull(),
    sessionCallLimit: integer("session_call_limit").notNull(),
    ...timestamps(),
  },
  (t) => [uniqueIndex("mcp_policies_org").on(t.orgId)],
);

/** An MCP session opened by `initialize` (the `Mcp-Session-Id` header), bound to its caller. */
export const mcpSessions = sqliteTable(
  "mcp_sessions",
  {
    ...orgRow(),
    actorId: text("actor_id").notNull(),
    clientName: text("client_name"),
    calls: integer("calls").notNull(),
    ...createdAt(),
    lastCallAt: integer("last_call_at"),
  },
  (t) => [index("mcp_sessions_org").on(t.orgId, t.id)],
);
