import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { timeout } from "hono/timeout";
import { ApiError } from "../errors.ts";
import type { HonoEnv } from "../hono-env.ts";

/** 413 past `maxBytes` (a route's own limit) or BODY_LIMIT_BYTES, before anything reads the body. */
export function requestBodyLimit(maxBytes?: number): MiddlewareHandler<HonoEnv> {
  return async function requestBodyLimit(c, next) {
    const maxSize = maxBytes ?? c.get("services").config.bodyLimitBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError("payload_too_large", `The request body exceeds ${maxSize} bytes`);
      },
    })(c, next);
  };
}

/** Aborts a request that runs longer than REQUEST_TIMEOUT_MS; `app.onError` renders the 504 problem. */
export function requestTimeout(): MiddlewareHandler<HonoEnv> {
  return async function requestTimeout(c, next) {
    const ms = c.get("services").config.requestTimeoutMs;
    const exception = new HTTPException(504, { message: `The request took longer than ${ms} ms` });
    return timeout(ms, exception)(c, next);
  };
}

/** 415 for a body that is not JSON on a JSON route (before validation turns it into a vague 400). */
export function requireBodyType(kind: "json" | "any"): MiddlewareHandler<HonoEnv> {
  return async function requireBodyType(c, next) {
    const hasBody = c.req.header("content-length") !== "0" && c.req.raw.body !== null;
    if (kind === "json" && hasBody) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json" && !type.endsWith("+json")) {
        throw new ApiError("unsupported_media_type", "Send the body as application/json");
      }
    }
    await next();
  };
}
