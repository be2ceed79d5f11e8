import type { Context } from "hono";
import type { AuditContext } from "../shared/audit/repository.ts";
import type { HonoEnv } from "./hono-env.ts";

/** Who did it and from where, for audit rows written by this request. */
export function auditContext(c: Context<HonoEnv>): AuditContext {
  const principal = c.get("principal");
  return {
    actor: { type: principal.kind === "api_key" ? "api_key" : "user", id: principal.actorId },
    ip: c.req.header("cf-connecting-ip") ?? c.req.header("x-real-ip") ?? null,
    userAgent: c.req.header("user-agent") ?? null,
    requestId: c.get("requestId"),
  };
}
