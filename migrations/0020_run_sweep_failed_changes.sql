-- AI workflow runs whose queue message was lost are found by the webhooks sweeper (docs/ai.md).
CREATE INDEX ai_workflow_runs_stuck ON ai_workflow_runs (status, updated_at);

-- A deployment the deploy monitor judged a failed change (an incident or a failure after it within
-- its window): counted by DORA's change failure rate (docs/insight.md). Set once, never by webhooks.
ALTER TABLE deployment_records ADD COLUMN change_failed_at INTEGER;
ALTER TABLE deployment_records ADD COLUMN change_failure TEXT;
