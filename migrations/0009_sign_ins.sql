-- Auth: one row per issued dashboard sign-in token (its `sid` claim), so a sign-in can be listed and ended.
CREATE TABLE sign_ins (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL,
  ip TEXT,
  user_agent TEXT,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX sign_ins_user ON sign_ins (user_id, id);
