import type { Context } from "hono";
import type { Actor } from "../../../shared/tenancy/actor.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { auditContext } from "../../request-context.ts";

/** The authenticated caller as the tenancy use cases take it. */
export function actorOf(c: Context<HonoEnv>): Actor {
  const principal = c.get("principal");
  return {
    id: principal.actorId,
    role: principal.role,
    ownerId: principal.kind === "user" ? principal.userId : principal.ownerId,
    permissions: principal.permissions,
    audit: auditContext(c),
  };
}
