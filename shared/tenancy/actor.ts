import type { AuditContext } from "../audit/repository.ts";
import type { Permission } from "./permissions.ts";

/** Who performs a tenancy use case: their audit context, role in the org and held permissions. */
export type Actor = {
  /** User id or API key id (what `createdBy` columns record). */
  id: string;
  /** Built-in role name, `custom:<name>`, or null for an API key. */
  role: string | null;
  /** The user whose authority the actor carries: the user, or the API key's owner. */
  ownerId: string | null;
  permissions: ReadonlySet<Permission>;
  audit: AuditContext;
};

/** The permissions in `requested` that `held` lacks: nobody hands out more than they hold. */
export function beyondHeld(held: ReadonlySet<Permission>, requested: readonly string[]): string[] {
  return requested.filter((p) => !held.has(p as Permission));
}
