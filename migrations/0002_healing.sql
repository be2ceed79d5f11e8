-- Healing: every heal attempt (with feedback) and the per-tenant model registry.
CREATE TABLE heal_attempts (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  project_id TEXT,
  form TEXT NOT NULL CHECK (form IN ('candidates', 'dom')),
  selector TEXT,
  input_hash TEXT NOT NULL,
  candidate_count INTEGER NOT NULL,
  healed INTEGER NOT NULL,
  confidence REAL NOT NULL,
  strategy TEXT NOT NULL,
  result_index INTEGER,
  result_selector TEXT,
  alternatives TEXT NOT NULL,
  latency_ms REAL NOT NULL,
  model_version TEXT NOT NULL,
  example_key TEXT,
  feedback_accepted INTEGER,
  feedback_correct_index INTEGER,
  feedback_correct_selector TEXT,
  feedback_at INTEGER,
  feedback_by TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX heal_attempts_org ON heal_attempts (org_id, id);
CREATE INDEX heal_attempts_org_project ON heal_attempts (org_id, project_id, id);
CREATE INDEX heal_attempts_org_feedback ON heal_attempts (org_id, feedback_at);

CREATE TABLE healing_models (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'candidate', 'rejected', 'retired')),
  model TEXT NOT NULL,
  metrics TEXT NOT NULL,
  training_examples INTEGER NOT NULL,
  holdout_examples INTEGER NOT NULL,
  reason TEXT,
  created_at INTEGER NOT NULL,
  activated_at INTEGER
);
CREATE UNIQUE INDEX healing_models_org_version ON healing_models (org_id, version);
CREATE INDEX healing_models_org_status ON healing_models (org_id, status);
