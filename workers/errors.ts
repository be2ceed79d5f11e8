import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";

/** The closed set of error codes; one table maps them to HTTP status (DESIGN §4). */
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
  rate_limited: 429,
  internal: 500,
  not_configured: 503,
  unavailable: 503,
  timeout: 504,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

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
  rate_limited: "Too many requests",
  internal: "Internal server error",
  not_configured: "Service not configured",
  unavailable: "Service unavailable",
  timeout: "Request timed out",
};

export type FieldError = { path: string; message: string };

/** The one error type handlers throw; `app.onError` renders it as problem+json. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(ERROR_STATUS[code], { message: detail, cause: options.cause });
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export const notFound = (what: string) => new ApiError("not_found", `${what} not found`);

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
