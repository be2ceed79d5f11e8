import type { Problem } from "./types.ts";

/** Base class of every error the client throws. */
export class ShiftyError extends Error {
  override name = "ShiftyError";
}

/**
 * The API answered with an error (problem+json). Carries the HTTP status, the problem type URI,
 * the detail and the request id to quote in a support request.
 */
export class ShiftyApiError extends ShiftyError {
  override name = "ShiftyApiError";
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string | null;
  readonly errors: { path: string; message: string }[];
  readonly retryAfterMs: number | null;

  constructor(problem: Problem, requestId: string | null, retryAfterMs: number | null = null) {
    const field = problem.errors?.length
      ? ` (${problem.errors.map((e) => `${e.path}: ${e.message}`).join("; ")})`
      : "";
    super(`${problem.status} ${problem.title}: ${problem.detail}${field}`);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.requestId = problem.requestId ?? requestId;
    this.errors = problem.errors ?? [];
    this.retryAfterMs = retryAfterMs;
  }

  /** The problem code, e.g. "not-found" from https://shifty.dev/problems/not-found. */
  get code(): string {
    return this.type.split("/").pop() ?? this.type;
  }
}

/** The server could not be reached (DNS, refused connection, reset). */
export class ShiftyNetworkError extends ShiftyError {
  override name = "ShiftyNetworkError";
  readonly url: string;
  constructor(url: string, cause: unknown) {
    super(`Cannot reach Shifty at ${new URL(url).origin}: ${describeCause(cause)}`, { cause });
    this.url = url;
  }
}

/** No answer within the client's timeout. */
export class ShiftyTimeoutError extends ShiftyError {
  override name = "ShiftyTimeoutError";
  readonly url: string;
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number) {
    super(`Shifty did not answer ${new URL(url).pathname} within ${timeoutMs} ms`);
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

function describeCause(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  if (inner?.code) return `${inner.code}${inner.message ? ` (${inner.message})` : ""}`;
  return cause instanceof Error ? cause.message : String(cause);
}
