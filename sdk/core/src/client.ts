import { ShiftyApiError, ShiftyError, ShiftyNetworkError, ShiftyTimeoutError } from "./errors.ts";
import type { Exploration, Generation } from "./generation-types.ts";
import type { RoomToken, SessionEventsPage, SessionScreenshot } from "./session-types.ts";
import type {
  Artifact,
  ArtifactContentType,
  CandidatesHealRequest,
  CandidatesHealResult,
  DomHealRequest,
  DomHealResult,
  Gate,
  HealedLocator,
  HealFeedback,
  HealStatus,
  Page,
  Problem,
  Project,
  RecordHealRequest,
  ResultStatus,
  Run,
  RunMetadata,
  TestResult,
} from "./types.ts";

export type ShiftyClientOptions = {
  /** e.g. https://api.shifty.dev or http://127.0.0.1:8787 (no /v1). */
  baseUrl: string;
  /** An API key, `shf_…` (or a session token). */
  apiKey: string;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx and network errors. Default 3. */
  retries?: number;
  /** First backoff step; doubles each retry, with full jitter. Default 250 ms. */
  backoffMs?: number;
  /** Cap for one wait, including a server's Retry-After. Default 30 s. */
  maxDelayMs?: number;
  /** A fetch implementation (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
  userAgent?: string;
  /** Called before each retry: for progress output. */
  onRetry?: (info: {
    attempt: number;
    delayMs: number;
    reason: string;
    method: string;
    path: string;
  }) => void;
  /** Sleep used between retries (tests replace it). */
  sleep?: (ms: number) => Promise<void>;
};

export type RequestOptions = {
  query?: Record<string, string | number | boolean | undefined | null>;
  json?: unknown;
  /** A raw body: text (a report) or bytes (an artifact). */
  body?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  /**
   * Safe to send twice: 5xx and network failures are retried only for idempotent requests (GET, PUT,
   * DELETE, and POSTs the server dedupes). 429 is always retried: the server did not act on it.
   */
  idempotent?: boolean;
  timeoutMs?: number;
};

const VERSION = "0.1.0";
const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/**
 * Typed client for the Shifty API: API-key auth, retries with exponential backoff and jitter on 429/5xx
 * (honouring Retry-After), per-attempt timeouts, and errors that carry status, problem type, detail and
 * request id.
 *
 * @example
 * const shifty = new ShiftyClient({ baseUrl: process.env.SHIFTY_URL!, apiKey: process.env.SHIFTY_API_KEY! });
 * const gate = await shifty.getGate("run_…");
 */
export class ShiftyClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxDelayMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string;
  private readonly onRetry: ShiftyClientOptions["onRetry"];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: ShiftyClientOptions) {
    if (!options.baseUrl) throw new ShiftyError("ShiftyClient needs baseUrl (e.g. SHIFTY_URL)");
    if (!options.apiKey) throw new ShiftyError("ShiftyClient needs an API key (e.g. SHIFTY_API_KEY)");
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new ShiftyError(`baseUrl is not a URL: ${options.baseUrl}`);
    }
    this.baseUrl = url.origin + url.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = Math.max(0, options.retries ?? 3);
    this.backoffMs = options.backoffMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.userAgent = options.userAgent ?? `shifty-sdk/${VERSION}`;
    this.onRetry = options.onRetry;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** One API call with retries. Returns the parsed JSON body (undefined for 204). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query);
    const idempotent = options.idempotent ?? (method === "GET" || method === "PUT" || method === "DELETE");
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: "application/json",
      "user-agent": this.userAgent,
    };
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers["content-type"] = options.contentType ?? "text/plain";
      body = options.body;
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const failure = isTimeout(error)
          ? new ShiftyTimeoutError(url, timeoutMs)
          : new ShiftyNetworkError(url, error);
        if (!idempotent || attempt >= this.retries) throw failure;
        await this.wait(attempt, null, failure.message, method, path);
        continue;
      }
      if (response.ok) {
        if (response.status === 204) return undefined as T;
        const text = await response.text();
        if (!text) return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new ShiftyError(`${method} ${path}: the answer is not JSON (${text.slice(0, 120)})`);
        }
      }
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      const retryable = response.status === 429 || (RETRYABLE_5XX.has(response.status) && idempotent);
      const error = await toApiError(response, retryAfter);
      if (!retryable || attempt >= this.retries) throw error;
      await this.wait(attempt, retryAfter, `${response.status} ${error.title}`, method, path);
    }
  }

  private async wait(
    attempt: number,
    retryAfterMs: number | null,
    reason: string,
    method: string,
    path: string,
  ) {
    // Full jitter: a crowd of CI jobs hitting one rate limit does not retry in lockstep.
    const backoff = Math.random() * this.backoffMs * 2 ** attempt;
    const delayMs = Math.min(this.maxDelayMs, Math.max(retryAfterMs ?? 0, backoff));
    this.onRetry?.({ attempt: attempt + 1, delayMs, reason, method, path });
    await this.sleep(delayMs);
  }

  private url(path: string, query?: RequestOptions["query"]): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  // ── Healing ────────────────────────────────────────────────────────────────────────────────────
  /** POST /v1/heal, candidates form: which of `candidates` is the element `target` described. */
  heal(request: CandidatesHealRequest): Promise<CandidatesHealResult> {
    return this.request("POST", "/v1/heal", { json: request, idempotent: true });
  }

  /** POST /v1/heal, DOM form: the server parses the HTML. */
  healDom(request: DomHealRequest): Promise<DomHealResult> {
    return this.request("POST", "/v1/heal", { json: request, idempotent: true });
  }

  healFeedback(attemptId: string, feedback: HealFeedback) {
    return this.request<{ attemptId: string; accepted: boolean }>(
      "POST",
      `/v1/heal/${enc(attemptId)}/feedback`,
      { json: feedback, idempotent: true },
    );
  }

  /** Records a heal made during a run; accepted at once above the project's auto-accept threshold. */
  recordHeal(projectId: string, heal: RecordHealRequest): Promise<HealedLocator> {
    // The server dedupes the same heal at the same place, so a retry is safe.
    return this.request("POST", `/v1/projects/${enc(projectId)}/heals`, { json: heal, idempotent: true });
  }

  listHeals(
    projectId: string,
    query: { status?: HealStatus; limit?: number; cursor?: string } = {},
  ): Promise<Page<HealedLocator>> {
    return this.request("GET", `/v1/projects/${enc(projectId)}/heals`, { query });
  }

  /** Every healed locator of a project with the given status, following cursors. */
  allHeals(projectId: string, status?: HealStatus): Promise<HealedLocator[]> {
    return everyItem((cursor) => this.listHeals(projectId, { status, limit: 100, cursor }));
  }

  approveHeal(healId: string, note?: string): Promise<HealedLocator> {
    return this.request("POST", `/v1/heals/${enc(healId)}/approve`, {
      json: note ? { note } : {},
      idempotent: true,
    });
  }

  rejectHeal(
    healId: string,
    options: { note?: string; correctSelector?: string } = {},
  ): Promise<HealedLocator> {
    return this.request("POST", `/v1/heals/${enc(healId)}/reject`, { json: options, idempotent: true });
  }

  // ── CI ─────────────────────────────────────────────────────────────────────────────────────────
  /** Uploads a JUnit XML or Playwright JSON report. Re-uploading the same build's report is a no-op. */
  uploadRun(
    projectId: string,
    report: string,
    options: { format: "junit" | "playwright" } & RunMetadata,
  ): Promise<Run> {
    const { format, ...meta } = options;
    return this.request("POST", `/v1/projects/${enc(projectId)}/runs`, {
      body: report,
      contentType: format === "junit" ? "application/xml" : "application/json",
      query: meta,
      // Idempotent only when the build is identified: then the server dedupes a repeat.
      idempotent: meta.buildId !== undefined,
      timeoutMs: Math.max(this.timeoutMs, 120_000),
    });
  }

  listResults(
    runId: string,
    query: { status?: ResultStatus; limit?: number; cursor?: string } = {},
  ): Promise<Page<TestResult>> {
    return this.request("GET", `/v1/runs/${enc(runId)}/results`, { query });
  }

  /** Every result of a run with the given status, following cursors. */
  allResults(runId: string, status?: ResultStatus): Promise<TestResult[]> {
    return everyItem((cursor) => this.listResults(runId, { status, limit: 100, cursor }));
  }

  /**
   * Uploads a failure artifact of a failed or flaky result (docs/artifacts.md): a Playwright trace
   * (`application/zip`), a screenshot (`image/png`) or a video (`video/webm`), at most 50 MiB. The answer
   * carries a signed download URL valid for 10 minutes.
   */
  uploadArtifact(
    runId: string,
    resultId: string,
    bytes: Uint8Array<ArrayBuffer>,
    options: { contentType: ArtifactContentType; name?: string },
  ): Promise<Artifact> {
    return this.request("POST", `/v1/runs/${enc(runId)}/results/${enc(resultId)}/artifacts`, {
      body: bytes,
      contentType: options.contentType,
      query: { name: options.name },
      // A repeat would store the file twice: only a 429 (not acted on) is retried.
      idempotent: false,
      timeoutMs: Math.max(this.timeoutMs, 120_000),
    });
  }

  /** A run's artifacts, each with a fresh signed URL; `resultId` narrows to one result. */
  listArtifacts(
    runId: string,
    query: { resultId?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<Artifact>> {
    return this.request("GET", `/v1/runs/${enc(runId)}/artifacts`, { query });
  }

  getRun(runId: string): Promise<Run> {
    return this.request("GET", `/v1/runs/${enc(runId)}`);
  }

  getGate(runId: string): Promise<Gate> {
    return this.request("GET", `/v1/runs/${enc(runId)}/gate`);
  }

  getProject(projectId: string): Promise<Project> {
    return this.request("GET", `/v1/projects/${enc(projectId)}`);
  }

  /** Starts a test generation from an exploration; poll `getGeneration` until it has finished. */
  createGeneration(projectId: string, exploration: Exploration, maxTests?: number): Promise<Generation> {
    return this.request("POST", `/v1/projects/${enc(projectId)}/generations`, {
      json: { exploration, ...(maxTests ? { maxTests } : {}) },
    });
  }

  getGeneration(generationId: string): Promise<Generation> {
    return this.request("GET", `/v1/generations/${enc(generationId)}`);
  }

  /** A manual session's recorded timeline as a generated spec (docs/test-generation.md). */
  generateFromSession(sessionId: string, maxTests?: number): Promise<Generation> {
    return this.request("POST", `/v1/sessions/${enc(sessionId)}/generate`, {
      json: maxTests ? { maxTests } : {},
    });
  }

  /** A 5-minute token for the session's live room (docs/room-protocol.md). */
  createRoomToken(sessionId: string, role?: "observer"): Promise<RoomToken> {
    return this.request("POST", `/v1/sessions/${enc(sessionId)}/token`, { json: role ? { role } : {} });
  }

  /** The session timeline after `since`, oldest first. */
  listSessionEvents(sessionId: string, since = 0, limit = 500): Promise<SessionEventsPage> {
    return this.request("GET", `/v1/sessions/${enc(sessionId)}/events`, { query: { since, limit } });
  }

  /** Uploads a PNG/JPEG into the session; the room broadcasts it as a `screenshot` event. */
  uploadSessionScreenshot(
    sessionId: string,
    image: Uint8Array,
    caption?: string,
  ): Promise<SessionScreenshot> {
    return this.request("POST", `/v1/sessions/${enc(sessionId)}/screenshots`, {
      body: new Uint8Array(image), // an ArrayBuffer-backed copy, whatever the caller's view is over
      contentType: "application/octet-stream",
      query: { caption },
    });
  }
}

const enc = encodeURIComponent;

/** Every item of a cursor-paged list, following `nextCursor` to the last page. */
async function everyItem<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    all.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "TimeoutError" || name === "AbortError";
}

/** Retry-After: delta seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

async function toApiError(response: Response, retryAfterMs: number | null): Promise<ShiftyApiError> {
  const requestId = response.headers.get("x-request-id");
  const text = await response.text().catch(() => "");
  let problem: Problem | null = null;
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (parsed && typeof parsed === "object" && typeof parsed.detail === "string") {
      problem = {
        type: parsed.type ?? "about:blank",
        title: parsed.title ?? response.statusText,
        status: parsed.status ?? response.status,
        detail: parsed.detail,
        instance: parsed.instance,
        requestId: parsed.requestId,
        errors: parsed.errors,
      };
    }
  } catch {
    // not JSON: a proxy's HTML error page, for instance
  }
  problem ??= {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.replace(/\s+/g, " ").trim().slice(0, 200) || `HTTP ${response.status}`,
  };
  return new ShiftyApiError(problem, requestId, retryAfterMs);
}
