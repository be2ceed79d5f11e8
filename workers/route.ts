import { createRoute, type RouteConfig, type RouteHandler, type z } from "@hono/zod-openapi";
import type { Context, Input, MiddlewareHandler } from "hono";
import type { Permission } from "../shared/tenancy/permissions.ts";
import type { PolicyName } from "../shared/tenancy/plans.ts";
import type { HonoEnv } from "./hono-env.ts";
import { authenticate, requirePermission } from "./middleware/auth.ts";
import { requestBodyLimit, requireBodyType } from "./middleware/limits.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { type ProblemStatus, problemResponses, type Router, security } from "./openapi.ts";
import { type Call, callOf } from "./request-context.ts";

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
  // Nothing would check it (a public operation has no principal), yet the document would list it.
  if (access === "public" && permissions.length > 0)
    throw new Error(
      `${route.method.toUpperCase()} ${route.path}: a public operation cannot require ${permissions.join(", ")}`,
    );
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

/** The validated request parts of route R (`param`, `query`, `json`), as its typed handler reads them. */
type Valid<R extends RouteConfig> =
  Parameters<RouteHandler<R, HonoEnv>>[0] extends Context<HonoEnv, string, infer I extends Input>
    ? NonNullable<I["out"]>
    : never;
type Part<R extends RouteConfig, K extends string> = K extends keyof Valid<R> ? Valid<R>[K] : undefined;
type CallOf<R extends RouteConfig> = Call<Part<R, "param">, Part<R, "query">, Part<R, "json">>;

type Spec = Omit<RouteConfig, "path" | "method"> & RouteProps;
type Defaults = Pick<RouteConfig, "tags"> & Omit<RouteProps, "errors">;

const SUCCESS = [200, 201, 202, 204] as const;
type Success = (typeof SUCCESS)[number];
type SuccessResponse<R extends RouteConfig> = R["responses"][Extract<keyof R["responses"], Success>];

/** What the handler of route R resolves to: the body of its one success response, or nothing (204). */
type Answer<R extends RouteConfig> =
  SuccessResponse<R> extends { content: { "application/json": { schema: infer S extends z.ZodType } } }
    ? Promise<z.output<S>>
    : Promise<void>;

/**
 * The route's one 2xx status: 204, or one whose answer is JSON (what `answer` sends). An operation with
 * two (201 or 200, say) or another content type is handled with `handle`.
 */
function successOf(route: RouteConfig): Success {
  const statuses = Object.keys(route.responses).filter((s) => s.startsWith("2"));
  const status = SUCCESS.find((s) => String(s) === statuses[0]);
  const response = route.responses[statuses[0] ?? ""];
  const json = response !== undefined && "content" in response && response.content?.["application/json"];
  if (statuses.length !== 1 || status === undefined || (status !== 204 && !json)) {
    throw new Error(
      `${route.method} ${route.path}: answer needs one success status, 204 or ${SUCCESS.filter((s) => s !== 204).join(", ")} with a JSON body`,
    );
  }
  return status;
}

/**
 * A domain's routes: the properties its operations share (tags, the usual access, permission, rate
 * policy) are stated once, and `route.get(path, spec)` states what differs (a spec's own `access`,
 * `permission` or `rate` replaces the default; a `public` one takes no permission). The result is `defineRoute`'s, so params, query, body and the 200
 * response keep their inferred types.
 *
 * `group.handle(route, async function nameHandler(c) {…})` pairs an operation with its handler (`c` is
 * typed from the route) and `group.register(app)` mounts them in the order they were handled: that
 * order is the routing order and the order of `/openapi.json`.
 *
 * `group.answer(route, function nameHandler({ db, orgId, param, query, json }) {…})` handles an
 * operation that is one use-case call: the handler gets the validated request and the caller (a
 * `Call`, workers/request-context.ts) and returns what to answer, which goes out with the route's one
 * success status (as JSON, or with no body for a 204).
 */
export function routeGroup(defaults: Defaults) {
  // A public operation has no principal, so it takes no permission.
  const { permission: _, ...publicDefaults } = defaults;
  const handled: [RouteConfig, RouteHandler<RouteConfig, HonoEnv>][] = [];
  let registered = false;
  function add(route: RouteConfig, handler: RouteHandler<RouteConfig, HonoEnv>, name: string) {
    // A handler added after `register` would never be mounted: fail at start-up instead.
    if (registered) throw new Error(`Route group already registered; cannot add ${name}`);
    handled.push([route, handler]);
  }
  const at =
    <M extends Method>(method: M) =>
    <P extends string, S extends Spec>(path: P, spec: S) =>
      defineRoute<P, S & { method: M; path: P }>({
        ...((spec.access ?? defaults.access) === "public" ? publicDefaults : defaults),
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
      add(route as RouteConfig, handler as unknown as RouteHandler<RouteConfig, HonoEnv>, handler.name);
    },
    answer<R>(route: R, handler: R extends RouteConfig ? (call: CallOf<R>) => Answer<R> : never) {
      const status = successOf(route as RouteConfig);
      // The handler's types were checked against R above; here it is called with the request as read.
      const answer = handler as (call: Call) => Promise<unknown>;
      async function answerHandler(c: Context<HonoEnv>) {
        const body = await answer(callOf(c));
        return status === 204 ? c.body(null, 204) : c.json(body, status);
      }
      add(route as RouteConfig, answerHandler as unknown as RouteHandler<RouteConfig, HonoEnv>, handler.name);
    },
    register(app: Router) {
      // Registering again (a second app in the same isolate, as tests build) mounts the same list.
      registered = true;
      for (const [route, handler] of handled) app.openapi(route, handler);
    },
  };
}
