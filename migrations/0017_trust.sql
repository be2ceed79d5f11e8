-- Account trust: neutral sign-up by email verification and password reset by email
-- (docs/sso-mfa.md, "Sign-up and password reset"). Tokens are stored only as SHA-256 hashes.

-- A sign-up waiting for its email link: the account is created only when the link comes back.
CREATE TABLE signup_requests (
  token_hash TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  org_name TEXT,
  password_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX signup_requests_expiry ON signup_requests (expires_at);

-- A password-reset link: single use (used_at), expiring.
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Data lifecycle (docs/data-lifecycle.md): a deleted organisation is unusable at once, restorable for
-- 30 days, then erased by the daily cron (workers/cron/org-purge.ts).
ALTER TABLE organizations ADD COLUMN deleted_at INTEGER;
CREATE INDEX organizations_deleted ON organizations (deleted_at) WHERE deleted_at IS NOT NULL;
