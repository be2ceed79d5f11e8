-- The engine's best guess when a heal abstains (docs/heal-review.md): kept on the attempt so the review
-- queue can show it and a person's approval can become feedback. Null when the attempt healed or when
-- nothing could be ranked.
ALTER TABLE heal_attempts ADD COLUMN suggestion_index INTEGER;
ALTER TABLE heal_attempts ADD COLUMN suggestion_selector TEXT;
ALTER TABLE heal_attempts ADD COLUMN suggestion_confidence REAL;
