-- Sessions (docs/sessions-api.md): manual testing sessions, their participants, the D1 mirror of the live room's
-- event log, findings, screenshots (bytes in R2) and per-project Jira Cloud settings.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  charter TEXT NOT NULL,
  environment TEXT NOT NULL,
  timebox_minutes INTEGER NOT NULL,
  url TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  ended_at INTEGER,
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_org ON sessions (org_id, id);
CREATE INDEX sessions_org_project ON sessions (org_id, project_id, id);

CREATE TABLE session_participants (
  org_id TEXT NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  actor_id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('host', 'tester', 'observer')),
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, actor_id)
);
CREATE INDEX session_participants_org ON session_participants (org_id);

CREATE TABLE session_events (
  org_id TEXT NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  at INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
);
CREATE INDEX session_events_org ON session_events (org_id, session_id);

CREATE TABLE session_findings (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'trivial')),
  title TEXT NOT NULL,
  description TEXT,
  step_seqs TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  jira_issue_key TEXT,
  jira_url TEXT
);
CREATE INDEX session_findings_org_session ON session_findings (org_id, session_id, id);
CREATE UNIQUE INDEX session_findings_session_seq ON session_findings (session_id, seq);

CREATE TABLE session_screenshots (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  r2_key TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
  size INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX session_screenshots_org_session ON session_screenshots (org_id, session_id, id);

CREATE TABLE jira_integrations (
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id TEXT PRIMARY KEY NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  host TEXT NOT NULL,
  email TEXT NOT NULL,
  api_token_sealed TEXT NOT NULL,
  project_key TEXT NOT NULL,
  issue_type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jira_integrations_org ON jira_integrations (org_id);
