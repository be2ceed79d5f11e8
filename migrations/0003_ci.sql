-- CI governor: runs, tests (with denormalised flaky stats), results, failure clusters, gate settings,
-- GitHub reporting. Matches shared/db/schema/ci.ts.
CREATE TABLE ci_runs (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('passed', 'failed')),
  format TEXT NOT NULL CHECK (format IN ('junit', 'playwright')),
  total INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  flaky INTEGER NOT NULL,
  healed INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  commit_sha TEXT,
  branch TEXT,
  base_branch TEXT,
  pr INTEGER,
  provider TEXT,
  run_url TEXT,
  build_id TEXT,
  report_hash TEXT NOT NULL,
  new_failures INTEGER NOT NULL,
  gate_status TEXT NOT NULL CHECK (gate_status IN ('pass', 'fail', 'warn')),
  gate_reasons TEXT NOT NULL,
  gate_evaluated_at INTEGER NOT NULL,
  github TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX ci_runs_project ON ci_runs (org_id, project_id, id);
CREATE INDEX ci_runs_branch ON ci_runs (org_id, project_id, branch, id);
CREATE UNIQUE INDEX ci_runs_build ON ci_runs (org_id, project_id, provider, build_id, report_hash);

CREATE TABLE ci_tests (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  file TEXT,
  suite TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('healthy', 'flaky', 'broken')),
  quarantined INTEGER NOT NULL DEFAULT 0,
  quarantine_reason TEXT CHECK (quarantine_reason IN ('manual', 'auto')),
  quarantined_at INTEGER,
  recent TEXT NOT NULL,
  last_commit TEXT,
  last_commit_outcomes INTEGER NOT NULL,
  consecutive_passes INTEGER NOT NULL,
  consecutive_failures INTEGER NOT NULL,
  sample_size INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  failure_rate REAL NOT NULL,
  wilson_low REAL NOT NULL,
  wilson_high REAL NOT NULL,
  last_flip_at INTEGER,
  last_outcome TEXT,
  last_run_id TEXT,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  stats_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ci_tests_key ON ci_tests (org_id, project_id, key);
CREATE INDEX ci_tests_status ON ci_tests (org_id, project_id, status, id);
CREATE INDEX ci_tests_stats_at ON ci_tests (stats_at);

CREATE TABLE ci_results (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL,
  run_id TEXT NOT NULL REFERENCES ci_runs(id) ON DELETE CASCADE,
  test_id TEXT NOT NULL REFERENCES ci_tests(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'skipped', 'flaky')),
  duration_ms INTEGER NOT NULL,
  retries INTEGER NOT NULL,
  healed INTEGER NOT NULL,
  quarantined INTEGER NOT NULL,
  message TEXT,
  stack TEXT,
  cluster_id TEXT,
  commit_sha TEXT,
  branch TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX ci_results_run ON ci_results (org_id, run_id, id);
CREATE INDEX ci_results_test ON ci_results (org_id, test_id, id);
CREATE INDEX ci_results_cluster ON ci_results (cluster_id, test_id);

CREATE TABLE ci_clusters (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  signature TEXT NOT NULL,
  error_type TEXT,
  sample_message TEXT NOT NULL,
  sample_stack TEXT,
  count INTEGER NOT NULL,
  first_run_id TEXT NOT NULL,
  first_commit TEXT,
  first_seen_at INTEGER NOT NULL,
  last_run_id TEXT NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ci_clusters_signature ON ci_clusters (org_id, project_id, signature);
CREATE INDEX ci_clusters_project ON ci_clusters (org_id, project_id, id);

CREATE TABLE ci_settings (
  project_id TEXT PRIMARY KEY NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  min_pass_rate REAL,
  no_new_failures INTEGER NOT NULL,
  no_broken_tests INTEGER NOT NULL,
  max_heals_before_warning INTEGER,
  auto_quarantine INTEGER NOT NULL,
  release_after_passes INTEGER,
  updated_at INTEGER NOT NULL
);

CREATE TABLE ci_github (
  project_id TEXT PRIMARY KEY NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  owner TEXT NOT NULL,
  repo TEXT NOT NULL,
  token_sealed TEXT NOT NULL,
  token_hint TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
