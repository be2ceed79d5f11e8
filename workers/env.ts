import { z } from "zod";
import type { PipelineBoard } from "../durable-objects/pipeline-board.ts";
import type { RateLimiter } from "../durable-objects/rate-limiter.ts";
import type { SessionRoom } from "../durable-objects/session-room.ts";
import { type LlmEnv, llmConfigInput, llmConfigSchema } from "../shared/ai/config.ts";
import { MAX_OWNED_ORGS } from "../shared/tenancy/organizations.ts";

/** Bindings and variables as wrangler.toml and secrets provide them (names are a contract: docs/architecture.md, "Bindings and configuration"). */
export interface Env extends LlmEnv {
  DB: D1Database;
  CACHE: KVNamespace;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  SESSION_ROOM: DurableObjectNamespace<SessionRoom>;
  WEBHOOKS: Queue<unknown>;
  /** Lead pipeline topics (docs/pipeline.md) and its live board. */
  LEADS_RAW: Queue<unknown>;
  LEADS_SCORED: Queue<unknown>;
  OUTREACH_EVENTS: Queue<unknown>;
  PIPELINE_BOARD: DurableObjectNamespace<PipelineBoard>;
  ARTIFACTS: R2Bucket;
  ASSETS?: Fetcher;
  AI?: Ai;
  APP_ENV?: string;
  PUBLIC_URL?: string;
  CORS_ORIGINS?: string;
  JWT_SECRET?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  ENCRYPTION_KEY?: string;
  SENTRY_DSN?: string;
  REQUEST_TIMEOUT_MS?: string;
  /** Longest wait for one call to D1, KV, R2, a queue or a Durable Object (docs/faults.md). */
  DEPENDENCY_TIMEOUT_MS?: string;
  BODY_LIMIT_BYTES?: string;
  ALLOW_LOOPBACK_WEBHOOKS?: string;
  GITHUB_API_URL?: string;
  /** Outside production only: every Jira call goes to this base instead of `https://{host}` (a local fake). */
  JIRA_API_URL?: string;
  /** Mail provider (docs/email.md); all three or none. */
  EMAIL_API_URL?: string;
  EMAIL_API_KEY?: string;
  EMAIL_FROM?: string;
  /** Organisations one user may own (default 10; shared/tenancy/organizations.ts). */
  MAX_OWNED_ORGS_PER_USER?: string;
  /** Multiplies webhook retry waits outside production (benchmarks run with 0). */
  WEBHOOKS_BACKOFF_SCALE?: string;
  /** Bearer token for `GET /metrics` (docs/operations-metrics.md); unset, the endpoint answers 503. */
  METRICS_TOKEN?: string;
}

const secret = (name: string) =>
  z
    .string({ error: `${name} is required (set it with \`wrangler secret put ${name}\` or in .dev.vars)` })
    .min(32, { error: `${name} must be at least 32 characters` });

const configSchema = z.object({
  appEnv: z.enum(["development", "test", "staging", "production"]).default("development"),
  publicUrl: z.url().default("http://127.0.0.1:8787"),
  corsOrigins: z.array(z.url()).default([]),
  jwtSecret: secret("JWT_SECRET"),
  jwtIssuer: z.string().min(1).default("shifty"),
  jwtAudience: z.string().min(1).default("shifty-dashboard"),
  encryptionKey: secret("ENCRYPTION_KEY"),
  sentryDsn: z.url().optional(),
  requestTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(25_000),
  // Below the request timeout, so a stuck dependency is answered as a named 503, not an anonymous 504.
  dependencyTimeoutMs: z.coerce.number().int().min(50).max(60_000).default(20_000),
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  allowLoopbackWebhooks: z.boolean().default(false),
  githubApiUrl: z.url().default("https://api.github.com"),
  jiraApiUrl: z.url().optional(),
  llm: llmConfigSchema,
  email: z
    .object({
      apiUrl: z.url({
        error: "EMAIL_API_URL must be a URL (set EMAIL_API_URL, EMAIL_API_KEY, EMAIL_FROM together)",
      }),
      apiKey: z.string({ error: "EMAIL_API_KEY is required with EMAIL_API_URL" }).min(1),
      from: z.string({ error: "EMAIL_FROM is required with EMAIL_API_URL" }).min(3).max(200),
    })
    .optional(),
  webhooksBackoffScale: z.coerce.number().min(0).max(100).default(1),
  maxOwnedOrgs: z.coerce.number().int().min(1).max(1000).default(MAX_OWNED_ORGS),
  metricsToken: z.string().min(32, { error: "METRICS_TOKEN must be at least 32 characters" }).optional(),
});

/** Validated configuration: the only way handlers read settings and secrets. */
export type Config = z.infer<typeof configSchema>;

/** Thrown when the Worker must refuse to serve because its configuration is missing or weak. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Shifty refuses to start: ${problems.join("; ")}`);
    this.problems = problems;
    this.name = "ConfigError";
  }
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);

/** Parses the environment once per env object (i.e. once per isolate in production). */
export function loadConfig(env: Env): Config {
  const cached = configCache.get(env);
  if (cached) return cached;
  const parsed = configSchema.safeParse({
    appEnv: blank(env.APP_ENV),
    publicUrl: blank(env.PUBLIC_URL),
    corsOrigins: (env.CORS_ORIGINS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    jwtSecret: env.JWT_SECRET,
    jwtIssuer: blank(env.JWT_ISSUER),
    jwtAudience: blank(env.JWT_AUDIENCE),
    encryptionKey: env.ENCRYPTION_KEY,
    sentryDsn: blank(env.SENTRY_DSN),
    requestTimeoutMs: blank(env.REQUEST_TIMEOUT_MS),
    dependencyTimeoutMs: blank(env.DEPENDENCY_TIMEOUT_MS),
    bodyLimitBytes: blank(env.BODY_LIMIT_BYTES),
    allowLoopbackWebhooks: env.ALLOW_LOOPBACK_WEBHOOKS === "true",
    githubApiUrl: blank(env.GITHUB_API_URL),
    jiraApiUrl: blank(env.JIRA_API_URL),
    llm: llmConfigInput(env, blank),
    email:
      blank(env.EMAIL_API_URL) || blank(env.EMAIL_API_KEY) || blank(env.EMAIL_FROM)
        ? { apiUrl: blank(env.EMAIL_API_URL), apiKey: blank(env.EMAIL_API_KEY), from: blank(env.EMAIL_FROM) }
        : undefined,
    webhooksBackoffScale: blank(env.WEBHOOKS_BACKOFF_SCALE),
    maxOwnedOrgs: blank(env.MAX_OWNED_ORGS_PER_USER),
    metricsToken: blank(env.METRICS_TOKEN),
  });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => i.message));
  }
  if (parsed.data.appEnv === "production" && parsed.data.allowLoopbackWebhooks) {
    throw new ConfigError(["ALLOW_LOOPBACK_WEBHOOKS must not be enabled in production"]);
  }
  if (parsed.data.appEnv === "production" && parsed.data.jiraApiUrl) {
    throw new ConfigError(["JIRA_API_URL is for local fakes; production calls each project's Jira host"]);
  }
  if (parsed.data.appEnv === "production" && parsed.data.webhooksBackoffScale !== 1) {
    throw new ConfigError([
      "WEBHOOKS_BACKOFF_SCALE is for local benchmarks; production keeps the retry schedule",
    ]);
  }
  configCache.set(env, parsed.data);
  return parsed.data;
}

const configCache = new WeakMap<Env, Config>();
