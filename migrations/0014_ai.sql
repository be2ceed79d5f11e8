-- AI layer and workflows (docs/ai.md): per-organisation AI settings and budgets, the cost ledger (one
-- row per provider call), workflow runs started by inbound webhooks, and the Jira issue each incident
-- opened (one per incident: the primary key is the deduplication).
CREATE TABLE ai_settings (
  org_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  monthly_token_cap INTEGER,
  monthly_cost_cap_micros INTEGER,
  notify_url TEXT,
  deploy_window_minutes INTEGER NOT NULL DEFAULT 30,
  models TEXT NOT NULL DEFAULT '{}',
  updated_at INTEGER NOT NULL
);

CREATE TABLE ai_ledger (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  workflow TEXT NOT NULL,
  task TEXT NOT NULL,
  prompt TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  tokens_in INTEGER NOT NULL,
  tokens_out INTEGER NOT NULL,
  cost_micros INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  error TEXT,
  request_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX ai_ledger_org_time ON ai_ledger (org_id, created_at);

CREATE TABLE ai_workflow_runs (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT,
  workflow TEXT NOT NULL,
  event_id TEXT NOT NULL,
  round INTEGER NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  target_url TEXT,
  tokens INTEGER NOT NULL DEFAULT 0,
  cost_micros INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ai_workflow_runs_event ON ai_workflow_runs (org_id, workflow, event_id, round);
CREATE INDEX ai_workflow_runs_org ON ai_workflow_runs (org_id, id);

CREATE TABLE ai_incident_issues (
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  subject TEXT NOT NULL,
  issue_key TEXT,
  issue_url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, subject)
);
