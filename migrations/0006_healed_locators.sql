-- Healing: healed locators recorded by the SDK (heal once, reuse) and per-project heal settings.
CREATE TABLE healed_locators (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
  auto_accepted INTEGER NOT NULL,
  test_file TEXT NOT NULL,
  test_title TEXT NOT NULL,
  source_file TEXT NOT NULL,
  source_line INTEGER NOT NULL,
  source_column INTEGER NOT NULL,
  original_selector TEXT NOT NULL,
  healed_selector TEXT NOT NULL,
  healed_locator TEXT,
  confidence REAL NOT NULL,
  attempt_id TEXT NOT NULL,
  run_id TEXT,
  occurrences INTEGER NOT NULL,
  reviewed_by TEXT,
  reviewed_at INTEGER,
  review_note TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX healed_locators_project ON healed_locators (org_id, project_id, id);
CREATE INDEX healed_locators_status ON healed_locators (org_id, project_id, status, id);
CREATE UNIQUE INDEX healed_locators_identity ON healed_locators
  (org_id, project_id, original_selector, healed_selector, source_file, source_line, source_column);

CREATE TABLE heal_settings (
  project_id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  auto_accept_threshold REAL NOT NULL,
  updated_at INTEGER NOT NULL
);
