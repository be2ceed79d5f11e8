import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { ApiError, type ErrorCode, type FieldError } from "../shared/errors.ts";

export { ApiError, type ErrorCode, type FieldError, notFound } from "../shared/errors.ts";

/** The closed set of error codes mapped to HTTP status (docs/architecture.md, "Errors"). */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  budget_exceeded: 402,
  rate_limited: 429,
  internal: 500,
  not_configured: 503,
  unavailable: 503,
  timeout: 504,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;

const TITLES: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  validation_failed: "Validation failed",
  malformed_json: "Malformed JSON",
  unauthenticated: "Unauthenticated",
  forbidden: "Forbidden",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  gone: "Gone",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  unprocessable: "Unprocessable content",
  budget_exceeded: "AI budget exceeded",
  rate_limited: "Too many requests",
  internal: "Internal server error",
  not_configured: "Service not configured",
  unavailable: "Service unavailable",
  timeout: "Request timed out",
};

export function zodFieldErrors(error: ZodError): FieldError[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

export function validationError(error: ZodError, where: string): ApiError {
  return new ApiError("validation_failed", `The request ${where} is invalid`, {
    errors: zodFieldErrors(error),
  });
}

/** RFC 9457 body. `type` is a stable URI per code so clients can switch on it. */
export function problemResponse(
  c: Context,
  code: ErrorCode,
  detail: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const status = ERROR_STATUS[code];
  const requestId = (c.get("requestId") as string | undefined) ?? "unknown";
  const body = {
    type: `https://shifty.dev/problems/${code.replaceAll("_", "-")}`,
    title: TITLES[code],
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    requestId,
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "x-request-id": requestId,
      ...extra.headers,
    },
  });
}
