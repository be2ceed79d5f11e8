import { createRoute, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Permission } from "../shared/tenancy/permissions.ts";
import type { PolicyName } from "../shared/tenancy/plans.ts";
import type { HonoEnv } from "./hono-env.ts";
import { authenticate, requirePermission } from "./middleware/auth.ts";
import { requestBodyLimit, requireBodyType } from "./middleware/limits.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { type ProblemStatus, problemResponses, type Router, security } from "./openapi.ts";

/**
 * Who may call an operation:
 * - `org` (default): an API key or a signed-in user acting in an organisation;
 * - `orgless`: a signed-in user who may not belong to any organisation yet (`/v1/me`, creating one);
 * - `public`: no credentials here (sign-up/in, webhook receivers, the room socket with its token).
 */
export type Access = "org" | "orgless" | "public";

/** The properties a route declares next to its path (docs/architecture.md, "Route properties"). */
export type RouteProps = {
  access?: Access;
  /** Permissions the principal must hold (all of them). */
  permission?: Permission | Permission[];
  /** Largest accepted body in bytes; default BODY_LIMIT_BYTES (1 MiB). */
  bodyLimitBytes?: number;
  /** `json` (default): writes must send JSON (else 415). `any`: the handler reads and checks the body. */
  bodyTypes?: "json" | "any";
  /** Rate-limit policy and its cost per request; `false` when the handler charges by itself. */
  rate?: { policy: PolicyName; cost?: number } | false;
  /** Error statuses the operation may answer beyond those its properties imply. */
  errors?: ProblemStatus[];
};

const WRITES = new Set(["post", "put", "patch"]);

/**
 * `createRoute` plus the route's properties: they become its middleware (in the order body limit →
 * media type → auth → rate limit → permission, before validation) and its OpenAPI security, error
 * entries and `x-shifty-access`/`x-shifty-permissions` extensions (which the security-matrix test
 * reads to walk every operation).
 */
export function defineRoute<P extends string, R extends Omit<RouteConfig, "path"> & { path: P }>(
  spec: R & RouteProps,
): ReturnType<typeof createRoute<P, R>> {
  const {
    access = "org",
    permission,
    bodyLimitBytes,
    bodyTypes = "json",
    rate,
    errors = [],
    ...route
  } = spec;
  const permissions = permission === undefined ? [] : Array.isArray(permission) ? permission : [permission];
  const hasBody = WRITES.has(route.method);
  const middleware: MiddlewareHandler<HonoEnv>[] = [];
  if (hasBody) middleware.push(requestBodyLimit(bodyLimitBytes), requireBodyType(bodyTypes));
  if (access !== "public") {
    middleware.push(authenticate(access));
    if (rate !== false) middleware.push(rateLimit(rate?.policy ?? "default", rate?.cost ?? 1));
    if (permissions.length > 0) middleware.push(requirePermission(...permissions));
  }
  const own = route.middleware
    ? Array.isArray(route.middleware)
      ? route.middleware
      : [route.middleware]
    : [];
  const implied: ProblemStatus[] = [400];
  if (access !== "public") implied.push(401, 403, 429);
  if (route.request?.params) implied.push(404);
  if (hasBody) implied.push(413);
  if (hasBody && bodyTypes === "json") implied.push(415);
  const statuses = [...new Set([...implied, ...errors])].sort();
  return createRoute<P, R>({
    ...route,
    ...(access === "public" ? {} : { security }),
    "x-shifty-access": access,
    "x-shifty-permissions": permissions,
    middleware: [...middleware, ...own] as RouteConfig["middleware"],
    responses: { ...problemResponses(...statuses), ...route.responses },
  } as unknown as R);
}

type Method = "get" | "post" | "put" | "patch" | "delete";
type Spec = Omit<RouteConfig, "path" | "method"> & RouteProps;
type Defaults = Pick<RouteConfig, "tags"> & Omit<RouteProps, "errors">;

/**
 * A domain's routes: the properties its operations share (tags, the usual permission, rate policy)
 * are stated once, and `route.get(path, spec)` states what differs (a spec's own `permission` or
 * `rate` replaces the default; a `public` one takes none). The result is `defineRoute`'s, so params, query, body and the 200
 * response keep their inferred types.
 *
 * `group.handle(route, async function nameHandler(c) {…})` pairs an operation with its handler (`c` is
 * typed from the route) and `group.register(app)` mounts them in the order they were handled: that
 * order is the routing order and the order of `/openapi.json`.
 */
export function routeGroup(defaults: Defaults) {
  // A public operation has no principal, so it takes no permission.
  const { permission: _, ...publicDefaults } = defaults;
  const handled: [RouteConfig, RouteHandler<RouteConfig, HonoEnv>][] = [];
  let registered = false;
  const at =
    <M extends Method>(method: M) =>
    <P extends string, S extends Spec>(path: P, spec: S) =>
      defineRoute<P, S & { method: M; path: P }>({
        ...(spec.access === "public" ? publicDefaults : defaults),
        ...spec,
        method,
        path,
      });
  return {
    get: at("get"),
    post: at("post"),
    put: at("put"),
    patch: at("patch"),
    delete: at("delete"),
    // R is left unconstrained so that an inline `group.get(…)` argument is not typed from the
    // constraint (that would widen its request schemas and leave `c.req.valid` untyped).
    handle<R>(route: R, handler: R extends RouteConfig ? RouteHandler<R, HonoEnv> : never) {
      // A handler added after `register` would never be mounted: fail at start-up instead.
      if (registered) throw new Error(`Route group already registered; cannot add ${handler.name}`);
      handled.push([route as RouteConfig, handler as unknown as RouteHandler<RouteConfig, HonoEnv>]);
    },
    register(app: Router) {
      // Registering again (a second app in the same isolate, as tests build) mounts the same list.
      registered = true;
      for (const [route, handler] of handled) app.openapi(route, handler);
    },
  };
}
