-- Run triage, test search and trends (docs/ci-api.md).
-- Runs are numbered per project (#1, #2, …) and remember the run "new failures" were measured against;
-- each result says whether it was a new failure at ingest; tests keep their Playwright tags.
ALTER TABLE ci_runs ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ci_runs ADD COLUMN reference_run_id TEXT;
ALTER TABLE ci_results ADD COLUMN new_failure INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ci_tests ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';

-- Existing runs are numbered in upload order (ids are time-ordered).
UPDATE ci_runs SET number = (
  SELECT COUNT(*) FROM ci_runs AS r
  WHERE r.org_id = ci_runs.org_id AND r.project_id = ci_runs.project_id AND r.id <= ci_runs.id
);
CREATE UNIQUE INDEX ci_runs_number ON ci_runs (org_id, project_id, number);
