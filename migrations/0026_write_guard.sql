-- A guard for compare-and-set writes inside one D1 batch (docs/architecture.md, "Conventions"):
-- `INSERT INTO write_guard (ok) SELECT 0 WHERE changes() = 0`, placed right after a conditional UPDATE,
-- breaks the CHECK (and so rolls back the whole batch, audit row included) when that UPDATE matched no
-- row. The table never holds a row.
CREATE TABLE write_guard (
  ok INTEGER NOT NULL CONSTRAINT write_guard_tripped CHECK (ok = 1)
);
