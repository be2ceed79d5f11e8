-- Lead pipeline (docs/pipeline.md): leads, timeline, experiments, arms, engagement events, settings.
CREATE TABLE leads (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  email TEXT NOT NULL,
  name TEXT,
  company TEXT,
  title TEXT,
  source TEXT,
  attributes TEXT NOT NULL,
  status TEXT NOT NULL,
  score INTEGER,
  persona TEXT,
  reasons TEXT NOT NULL,
  experiment_id TEXT,
  variant_key TEXT,
  segment TEXT,
  snoozed_until INTEGER,
  dead_at INTEGER,
  created_at INTEGER NOT NULL,
  scored_at INTEGER,
  contacted_at INTEGER,
  engaged_at INTEGER,
  converted_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX leads_external ON leads (org_id, external_id);
CREATE INDEX leads_org ON leads (org_id, id);
CREATE INDEX leads_org_status ON leads (org_id, status, id);

CREATE TABLE lead_events (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX lead_events_lead ON lead_events (org_id, lead_id, at);

CREATE TABLE experiments (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  variants TEXT NOT NULL,
  personas TEXT,
  per_persona INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX experiments_org ON experiments (org_id, id);

CREATE TABLE experiment_arms (
  org_id TEXT NOT NULL,
  experiment_id TEXT NOT NULL,
  variant_key TEXT NOT NULL,
  segment TEXT NOT NULL,
  sends INTEGER NOT NULL DEFAULT 0,
  conversions INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (experiment_id, variant_key, segment)
);

CREATE TABLE outreach_events (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  lead_id TEXT,
  lead_external_id TEXT NOT NULL,
  type TEXT NOT NULL,
  outcome TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, id)
);

CREATE TABLE pipeline_settings (
  org_id TEXT PRIMARY KEY NOT NULL,
  threshold INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
