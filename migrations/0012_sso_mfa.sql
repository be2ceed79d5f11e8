-- Enterprise sign-in (docs/sso-mfa.md): per-organisation OpenID Connect, TOTP second factor, and the
-- organisation policies that require them.

-- How a sign-in was made: the org policies below accept only some methods.
ALTER TABLE sign_ins ADD COLUMN method TEXT NOT NULL DEFAULT 'password';
ALTER TABLE sign_ins ADD COLUMN sso_org_id TEXT;

ALTER TABLE organizations ADD COLUMN require_mfa INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN require_sso INTEGER NOT NULL DEFAULT 0;

-- One OpenID provider per organisation; the client secret is sealed (shared/crypto/secret-box.ts).
CREATE TABLE sso_connections (
  org_id TEXT PRIMARY KEY NOT NULL,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret_sealed TEXT NOT NULL,
  allowed_domains TEXT NOT NULL,
  default_role TEXT NOT NULL,
  custom_role_id TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  configured_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- An authorization-code flow in progress, keyed by the SHA-256 of its state; used once.
CREATE TABLE sso_flows (
  id TEXT PRIMARY KEY NOT NULL,
  org_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX sso_flows_expiry ON sso_flows (expires_at);

-- The provider's subject linked to a Shifty user, per organisation.
CREATE TABLE sso_identities (
  org_id TEXT NOT NULL,
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, issuer, subject)
);
CREATE INDEX sso_identities_user ON sso_identities (user_id);

-- A user's TOTP secret (sealed); confirmed_at is null while enrolment waits for a first code.
-- last_step is the newest time step accepted, so a code is never accepted twice.
CREATE TABLE mfa_totp (
  user_id TEXT PRIMARY KEY NOT NULL,
  secret_sealed TEXT NOT NULL,
  confirmed_at INTEGER,
  last_step INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE mfa_recovery_codes (
  user_id TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);
