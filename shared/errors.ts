/**
 * The one error type of the domain. Use cases and repositories throw it; the HTTP layer
 * (`workers/errors.ts`) maps its code to a status and renders RFC 9457 problem+json
 * (docs/architecture.md, "Errors").
 */
export const ERROR_CODES = [
  "bad_request",
  "validation_failed",
  "malformed_json",
  "unauthenticated",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "gone",
  "payload_too_large",
  "unsupported_media_type",
  "unprocessable",
  "budget_exceeded",
  "rate_limited",
  "internal",
  "not_configured",
  "unavailable",
  "timeout",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type FieldError = { path: string; message: string };

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

/** Unknown ids and another organisation's ids read the same: existence is never revealed. */
export const notFound = (what: string) => new ApiError("not_found", `${what} not found`);
