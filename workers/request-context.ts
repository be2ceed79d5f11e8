import type { Context } from "hono";
import type { AuditContext } from "../shared/audit/repository.ts";
import type { Db } from "../shared/db/client.ts";
import type { Actor } from "../shared/tenancy/actor.ts";
import type { HonoEnv } from "./hono-env.ts";
import { orgIdOf } from "./middleware/auth.ts";
import type { Services } from "./services.ts";

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

/**
 * What a handler given to `group.answer` (workers/route.ts) reads: the validated path, query and
 * body, the services, and the caller. `orgId`, `audit` and `actor` are read when the handler asks
 * for them, so an operation without an organisation or a principal can still take the rest.
 */
export type Call<Param = unknown, Query = unknown, Json = unknown> = {
  param: Param;
  query: Query;
  json: Json;
  services: Services;
  db: Db;
  readonly orgId: string;
  readonly audit: AuditContext;
  readonly actor: Actor;
};

export function callOf(c: Context<HonoEnv>): Call {
  // The context is typed from the route at `answer`; here the parts are read by name.
  const valid = (c.req.valid as (target: "param" | "query" | "json") => unknown).bind(c.req);
  const services = c.get("services");
  return {
    param: valid("param"),
    query: valid("query"),
    json: valid("json"),
    services,
    db: services.db,
    get orgId() {
      return orgIdOf(c);
    },
    get audit() {
      return auditContext(c);
    },
    get actor() {
      return actorOf(c);
    },
  };
}
