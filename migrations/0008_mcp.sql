-- MCP server: per-organisation tool policy (allow/deny lists and a per-session call limit) and the
-- MCP sessions opened by `initialize`, with their call counters.
CREATE TABLE mcp_policies (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  allowed_tools TEXT,
  denied_tools TEXT NOT NULL DEFAULT '[]',
  session_call_limit INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX mcp_policies_org ON mcp_policies (org_id);

CREATE TABLE mcp_sessions (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  actor_id TEXT NOT NULL,
  client_name TEXT,
  calls INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_call_at INTEGER
);
CREATE INDEX mcp_sessions_org ON mcp_sessions (org_id, id);
