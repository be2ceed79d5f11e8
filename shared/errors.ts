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

/** The platform dependencies a request can lose (docs/faults.md). */
export type Dependency = "d1" | "kv" | "r2" | "queue" | "durable_object";

const DEPENDENCY_NAMES: Record<Dependency, string> = {
  d1: "The database (D1)",
  kv: "The cache (KV)",
  r2: "The object store (R2)",
  queue: "The queue",
  durable_object: "A Durable Object",
};

/** Seconds a client should wait before retrying a request that failed on a dependency. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/**
 * A binding failed or timed out (workers/bindings.ts classifies it). It is an `unavailable` ApiError
 * (503 with Retry-After) that names the component, so code that passes ApiErrors through keeps it intact.
 */
export class DependencyUnavailable extends ApiError {
  readonly component: Dependency;
  readonly binding: string;

  constructor(component: Dependency, binding: string, cause: unknown) {
    super(
      "unavailable",
      `${DEPENDENCY_NAMES[component]} is unavailable; retry in ${DEPENDENCY_RETRY_AFTER_SECONDS} seconds`,
      { headers: { "Retry-After": String(DEPENDENCY_RETRY_AFTER_SECONDS) }, cause },
    );
    this.name = "DependencyUnavailable";
    this.component = component;
    this.binding = binding;
  }
}

/** The DependencyUnavailable behind an error, if any (drizzle wraps driver errors in its own). */
export function dependencyFailureIn(error: unknown): DependencyUnavailable | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof DependencyUnavailable) return current;
    current = current.cause;
  }
  return undefined;
}
