-- Test generation: jobs that turn an exploration of an app into Playwright specs (files in R2).
CREATE TABLE generations (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'planning', 'succeeded', 'failed')),
  progress REAL NOT NULL,
  app_url TEXT NOT NULL,
  figures TEXT NOT NULL,
  files TEXT NOT NULL,
  error TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX generations_project ON generations (org_id, project_id, id);
