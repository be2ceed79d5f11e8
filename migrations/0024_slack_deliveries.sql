-- Slack posts of Shifty's own events as deliveries (docs/notifications.md): one row per event, rule and
-- round, claimed with a lease, retried on the webhook delivery schedule and failed when exhausted or
-- dead-lettered, like webhook_deliveries.
CREATE TABLE slack_deliveries (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  rule_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  round INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  summary TEXT NOT NULL,
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
CREATE UNIQUE INDEX slack_deliveries_once ON slack_deliveries (event_id, rule_id, round);
CREATE INDEX slack_deliveries_org ON slack_deliveries (org_id, id);
CREATE INDEX slack_deliveries_status ON slack_deliveries (status, next_attempt_at);
