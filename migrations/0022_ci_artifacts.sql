-- Failure artifacts of CI test results (docs/artifacts.md): Playwright traces, screenshots and videos.
-- The bytes live in R2 under r2_key; this row is the index and the tenant boundary.
CREATE TABLE ci_artifacts (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL,
  run_id TEXT NOT NULL REFERENCES ci_runs(id) ON DELETE CASCADE,
  result_id TEXT NOT NULL REFERENCES ci_results(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('trace', 'screenshot', 'video')),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('application/zip', 'image/png', 'video/webm')),
  size INTEGER NOT NULL,
  r2_key TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX ci_artifacts_run ON ci_artifacts (org_id, run_id, id);
CREATE INDEX ci_artifacts_result ON ci_artifacts (org_id, result_id, id);
