import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { HonoEnv } from "../hono-env.ts";
import { recordRequest } from "../metrics.ts";

/**
 * One structured JSON line per request, for `wrangler tail --format json` and log pipelines.
 * Never bodies, headers or query strings (they may carry secrets).
 */
export function requestLogger(): MiddlewareHandler<HonoEnv> {
  return async function requestLogger(c, next) {
    const started = Date.now();
    try {
      await next();
    } finally {
      const line = {
        level: c.res.status >= 500 ? "error" : c.res.status >= 400 ? "warn" : "info",
        msg: "request",
        method: c.req.method,
        route: routePath(c) || "(unmatched)",
        status: c.res.status,
        durationMs: Date.now() - started,
        org: c.get("logOrgId") ?? null,
        requestId: c.get("requestId"),
      };
      console.log(JSON.stringify(line));
      recordRequest(line.method, line.route, line.status, line.durationMs);
    }
  };
}
