-- An organisation never loses its last owner, whatever the interleaving of requests.
-- shared/tenancy/role-assignment.ts checks the rule before a change for a clear answer; two requests
-- can both pass that check (each sees two owners) and then demote or remove one owner each. These
-- triggers re-check inside the write itself, so the second batch aborts and rolls back (its audit row
-- too); the use case maps the abort ('last_owner') to 409.
-- Deleting the organisation itself (its memberships go by ON DELETE CASCADE) is not blocked.
CREATE TRIGGER memberships_keep_owner_on_update
BEFORE UPDATE OF role ON memberships
WHEN OLD.role = 'owner' AND NEW.role <> 'owner'
  AND (SELECT count(*) FROM memberships WHERE org_id = OLD.org_id AND role = 'owner') <= 1
BEGIN
  SELECT RAISE(ABORT, 'last_owner');
END;

CREATE TRIGGER memberships_keep_owner_on_delete
BEFORE DELETE ON memberships
WHEN OLD.role = 'owner'
  AND EXISTS (SELECT 1 FROM organizations WHERE id = OLD.org_id)
  AND (SELECT count(*) FROM memberships WHERE org_id = OLD.org_id AND role = 'owner') <= 1
BEGIN
  SELECT RAISE(ABORT, 'last_owner');
END;
