-- Insight (docs/insight.md): which project a deployment, change or incident belongs to, and the
-- repository → project mapping that attributes records from organisation-wide sources.
ALTER TABLE deployment_records ADD COLUMN project_id TEXT;
ALTER TABLE change_records ADD COLUMN project_id TEXT;
ALTER TABLE incident_records ADD COLUMN project_id TEXT;

CREATE INDEX deployment_records_time ON deployment_records (org_id, source_updated_at);
CREATE INDEX change_records_sha ON change_records (org_id, commit_sha);
CREATE INDEX incident_records_opened ON incident_records (org_id, opened_at);

CREATE TABLE project_repositories (
  org_id TEXT NOT NULL,
  repository TEXT NOT NULL,
  project_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, repository)
);
CREATE INDEX project_repositories_project ON project_repositories (org_id, project_id);

-- ROI assumptions per organisation; an organisation without a row uses the defaults in
-- shared/insight/roi.ts.
CREATE TABLE insight_assumptions (
  org_id TEXT PRIMARY KEY,
  minutes_per_heal REAL NOT NULL,
  cost_per_ci_minute REAL NOT NULL,
  currency TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
