-- Where a generation's tests came from: an exploration of the app (the CLI's `shifty generate`) or a
-- manual session's timeline. No CHECK: a new source only needs the contract's enum, not a table rebuild.
ALTER TABLE generations ADD COLUMN source TEXT NOT NULL DEFAULT 'exploration';
ALTER TABLE generations ADD COLUMN session_id TEXT;
