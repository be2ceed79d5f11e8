-- Insight rollups (docs/insight.md): hourly aggregates written by the insight-rollups cron job, read by
-- the insight endpoints (through KV). Sparse: an hour without records has no row.

-- DORA facts per hour; scope is a project id, or '*' for the whole organisation.
CREATE TABLE insight_dora_hourly (
  org_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  hour INTEGER NOT NULL,
  deploys_ok INTEGER NOT NULL,
  deploys_finished INTEGER NOT NULL,
  deploys_failed INTEGER NOT NULL,
  lead_hours TEXT NOT NULL,
  restore_hours TEXT NOT NULL,
  PRIMARY KEY (org_id, scope, hour)
);

-- CI, heal and session figures per project and hour (ROI and trends).
CREATE TABLE insight_ci_hourly (
  org_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  runs INTEGER NOT NULL DEFAULT 0,
  runs_failed INTEGER NOT NULL DEFAULT 0,
  run_ms INTEGER NOT NULL DEFAULT 0,
  tests_passed INTEGER NOT NULL DEFAULT 0,
  tests_failed INTEGER NOT NULL DEFAULT 0,
  tests_flaky INTEGER NOT NULL DEFAULT 0,
  saved_runs INTEGER NOT NULL DEFAULT 0,
  saved_ms INTEGER NOT NULL DEFAULT 0,
  heals_accepted INTEGER NOT NULL DEFAULT 0,
  findings TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (org_id, project_id, hour)
);

-- Per organisation: how far the records have been rolled up (receipt times), and a generation that
-- changes with every rollup so cached reports in KV are never served stale.
CREATE TABLE insight_rollup_state (
  org_id TEXT PRIMARY KEY,
  dora_watermark INTEGER NOT NULL,
  ci_watermark INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  rolled_up_at INTEGER NOT NULL
);

CREATE INDEX deployment_records_updated ON deployment_records (updated_at);
CREATE INDEX change_records_updated ON change_records (updated_at);
CREATE INDEX incident_records_updated ON incident_records (updated_at);
CREATE INDEX ci_runs_created ON ci_runs (created_at);
CREATE INDEX healed_locators_updated ON healed_locators (updated_at);
CREATE INDEX session_findings_created ON session_findings (created_at);

-- Notification rules (docs/notifications.md): which of Shifty's own events of a project are posted to
-- a Slack incoming webhook. The webhook URL is a credential, sealed like other secrets.
CREATE TABLE notification_rules (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  event_types TEXT NOT NULL,
  slack_url_sealed TEXT NOT NULL,
  slack_channel_hint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX notification_rules_project ON notification_rules (org_id, project_id, id);
