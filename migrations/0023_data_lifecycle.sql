-- Data lifecycle, second part (docs/data-lifecycle.md): organisation exports and user erasure.

-- An organisation export: a job writes the org's rows to R2 in bounded pages
-- (exports/<org_id>/<id>/…); `cursor` is where the next page starts, so a job cut short resumes.
CREATE TABLE org_exports (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'expired')),
  requested_by TEXT NOT NULL,
  cursor TEXT,
  pages INTEGER NOT NULL DEFAULT 0,
  rows INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX org_exports_org ON org_exports (org_id, id);
-- One running export per organisation: a second start conflicts inside the insert itself.
CREATE UNIQUE INDEX org_exports_one_running ON org_exports (org_id) WHERE status = 'running';

-- Personal values of audit rows, outside the hash chain. An audit row holds `pii_<sha256(nonce ‖ value)>`
-- in place of an email, IP address or user agent; the chain hashes that reference, and erasing a person
-- deletes the rows here (value and nonce) without touching the chain.
CREATE TABLE audit_personal (
  ref TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  value TEXT NOT NULL,
  nonce TEXT NOT NULL,
  subject_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX audit_personal_org ON audit_personal (org_id, ref);
CREATE INDEX audit_personal_value ON audit_personal (value);
CREATE INDEX audit_personal_subject ON audit_personal (subject_id) WHERE subject_id IS NOT NULL;
