-- Webhook fan-out (docs/webhooks.md): sources, events, endpoints, deliveries, attempts, and the domain records
-- inbound events produce (CI pipelines, deployments, changes, incidents). Matches shared/db/schema/webhooks.ts.
CREATE TABLE webhook_sources (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  provider TEXT NOT NULL CHECK (provider IN ('github', 'gitlab', 'jira', 'figma', 'datadog', 'sentry', 'slack', 'standard')),
  name TEXT NOT NULL,
  environment TEXT CHECK (environment IN ('prod', 'stg', 'int', 'dev')),
  project_id TEXT,
  secret_sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_sources_org ON webhook_sources (org_id, id);

CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  source_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  type TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  environment TEXT CHECK (environment IN ('prod', 'stg', 'int', 'dev')),
  headers TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('received', 'processed', 'failed', 'dead')),
  round INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  received_at INTEGER NOT NULL,
  enqueued_at INTEGER,
  processed_at INTEGER,
  dead_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX webhook_events_delivery ON webhook_events (source_id, delivery_id);
CREATE INDEX webhook_events_org ON webhook_events (org_id, id);
CREATE INDEX webhook_events_org_status ON webhook_events (org_id, status, id);
CREATE INDEX webhook_events_status_received ON webhook_events (status, received_at);

CREATE TABLE webhook_event_applications (
  event_id TEXT NOT NULL,
  round INTEGER NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (event_id, round)
);

CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  description TEXT,
  event_types TEXT NOT NULL,
  environment TEXT CHECK (environment IN ('prod', 'stg', 'int', 'dev')),
  secret_sealed TEXT NOT NULL,
  previous_secret_sealed TEXT,
  previous_secret_expires_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
  disabled_reason TEXT,
  disabled_at INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  first_failure_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id, id);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  endpoint_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  round INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'retrying', 'succeeded', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  lease_until INTEGER,
  last_status_code INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (event_id, endpoint_id, round);
CREATE INDEX webhook_deliveries_org ON webhook_deliveries (org_id, id);
CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, next_attempt_at);

CREATE TABLE webhook_attempts (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('process', 'deliver')),
  delivery_id TEXT,
  endpoint_id TEXT,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  status_code INTEGER,
  latency_ms INTEGER,
  response_snippet TEXT,
  error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_event ON webhook_attempts (org_id, event_id, id);

CREATE TABLE ci_pipeline_records (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT,
  provider TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('workflow_run', 'check_run', 'pipeline')),
  external_id TEXT NOT NULL,
  name TEXT,
  status TEXT,
  conclusion TEXT,
  commit_sha TEXT,
  branch TEXT,
  html_url TEXT,
  repository TEXT,
  source_updated_at INTEGER NOT NULL,
  last_event_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ci_pipeline_records_ext ON ci_pipeline_records (org_id, provider, kind, external_id);

CREATE TABLE deployment_records (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  external_id TEXT NOT NULL,
  environment TEXT,
  state TEXT NOT NULL,
  commit_sha TEXT,
  ref TEXT,
  repository TEXT,
  url TEXT,
  source_updated_at INTEGER NOT NULL,
  last_event_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX deployment_records_ext ON deployment_records (org_id, provider, external_id);

CREATE TABLE change_records (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('commit', 'pull_request')),
  external_id TEXT NOT NULL,
  repository TEXT,
  branch TEXT,
  commit_sha TEXT,
  title TEXT,
  author TEXT,
  state TEXT,
  url TEXT,
  authored_at INTEGER,
  merged_at INTEGER,
  source_updated_at INTEGER NOT NULL,
  last_event_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX change_records_ext ON change_records (org_id, provider, kind, external_id);

CREATE TABLE incident_records (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  external_id TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  severity TEXT,
  url TEXT,
  environment TEXT,
  opened_at INTEGER NOT NULL,
  resolved_at INTEGER,
  source_updated_at INTEGER NOT NULL,
  last_event_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX incident_records_ext ON incident_records (org_id, provider, external_id);
