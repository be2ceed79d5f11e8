import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { timeout } from "hono/timeout";
import { ApiError } from "../errors.ts";
import type { HonoEnv } from "../hono-env.ts";

/**
 * Paths with their own (larger) body limit, enforced by their routes: DOM heal requests (5 MiB),
 * report uploads, screenshots. Everything else gets BODY_LIMIT_BYTES (1 MiB by default).
 */
export const LARGE_BODY_PATHS: [path: RegExp, maxBytes: number][] = [
  // dom + previousDom of 5 MiB each, or 5 000 candidate descriptors.
  [/^\/v1\/heal$/, 12 * 1024 * 1024],
  [/^\/v1\/projects\/[^/]+\/runs$/, 50 * 1024 * 1024],
  [/^\/v1\/sessions\/[^/]+\/screenshots$/, 10 * 1024 * 1024],
];

export function requestBodyLimit(): MiddlewareHandler<HonoEnv> {
  return async function requestBodyLimit(c, next) {
    const path = c.req.path;
    const special = LARGE_BODY_PATHS.find(([re]) => re.test(path));
    const maxSize = special?.[1] ?? c.get("services").config.bodyLimitBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError("payload_too_large", `The request body exceeds ${maxSize} bytes`);
      },
    })(c, next);
  };
}

/** Aborts a request that runs longer than REQUEST_TIMEOUT_MS with a 504 problem. */
export function requestTimeout(): MiddlewareHandler<HonoEnv> {
  return async function requestTimeout(c, next) {
    const ms = c.get("services").config.requestTimeoutMs;
    return timeout(ms, () => new ApiError("timeout", `The request took longer than ${ms} ms`))(c, next);
  };
}

/** Paths that take something other than JSON bodies; every other write must send JSON. */
export const NON_JSON_BODY_PATHS: RegExp[] = [
  /^\/v1\/projects\/[^/]+\/runs$/,
  /^\/v1\/sessions\/[^/]+\/screenshots$/,
];

/** 415 for a body that is not JSON on a JSON endpoint (before validation turns it into a vague 400). */
export function requireJsonBodies(): MiddlewareHandler<HonoEnv> {
  return async function requireJsonBodies(c, next) {
    const method = c.req.method;
    if (method === "POST" || method === "PUT" || method === "PATCH") {
      const path = c.req.path;
      const hasBody = c.req.header("content-length") !== "0" && c.req.raw.body !== null;
      if (hasBody && !NON_JSON_BODY_PATHS.some((re) => re.test(path))) {
        const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
        if (type !== "application/json" && !type.endsWith("+json")) {
          throw new ApiError("unsupported_media_type", "Send the body as application/json");
        }
      }
    }
    await next();
  };
}
