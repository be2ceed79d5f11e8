import type { MemberRole } from "../contract/tenancy.ts";
import type { Db } from "../db/client.ts";
import { ApiError, notFound } from "../errors.ts";
import type { Actor } from "./actor.ts";
import { customRoleExists } from "./repository.ts";

/**
 * A role assignment (a role change or an invite) is valid when only an owner grants `owner`, and a
 * `custom` role names one of this org's custom roles (and only `custom` carries a customRoleId).
 */
export async function checkRoleAssignment(
  db: Db,
  orgId: string,
  actor: Actor,
  role: MemberRole,
  customRoleId: string | undefined | null,
) {
  if (role === "owner" && actor.role !== "owner") {
    throw new ApiError("forbidden", "Only owners can grant the owner role");
  }
  if (role === "custom") {
    if (!customRoleId)
      throw new ApiError("validation_failed", "customRoleId is required for role custom", {
        errors: [{ path: "customRoleId", message: "required when role is custom" }],
      });
    if (!(await customRoleExists(db, orgId, customRoleId))) throw notFound("Role");
  } else if (customRoleId) {
    throw new ApiError("validation_failed", "customRoleId is only allowed with role custom", {
      errors: [{ path: "customRoleId", message: "only with role custom" }],
    });
  }
}
