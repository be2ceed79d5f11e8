-- The healing tie-breaker (docs/ai.md): an organisation opts in to letting a heal the engine is unsure
-- of ask its configured AI provider, within the same budget and ledger as the workflows.
ALTER TABLE ai_settings ADD COLUMN heal_tiebreak INTEGER NOT NULL DEFAULT 0;
