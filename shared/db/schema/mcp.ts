import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** One row per organisation: which MCP tools its callers may use and how many calls a session gets. */
export const mcpPolicies = sqliteTable(
  "mcp_policies",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    /** JSON array of tool names; null means every tool not denied. */
    allowedTools: text("allowed_tools", { mode: "json" }).$type<string[] | null>(),
    deniedTools: text("denied_tools", { mode: "json" }).$type<string[]>().notNull(),
    sessionCallLimit: integer("session_call_limit").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("mcp_policies_org").on(t.orgId)],
);

/** An MCP session opened by `initialize` (the `Mcp-Session-Id` header), bound to its caller. */
export const mcpSessions = sqliteTable(
  "mcp_sessions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    actorId: text("actor_id").notNull(),
    clientName: text("client_name"),
    calls: integer("calls").notNull(),
    createdAt: integer("created_at").notNull(),
    lastCallAt: integer("last_call_at"),
  },
  (t) => [index("mcp_sessions_org").on(t.orgId, t.id)],
);
