import type { WorkersAiBinding } from "../shared/ai/workers-ai.ts";
import { createDb, type Db } from "../shared/db/client.ts";
import { type EmailClient, httpEmailClient } from "../shared/email/client.ts";
import { type Clock, jsonLogger, type Logger, systemClock } from "../shared/logger.ts";
import type { KeyCache } from "../shared/tenancy/api-key-cache.ts";
import { guardD1, guardDurableObjects, guardKv, guardQueue, guardR2 } from "./bindings.ts";
import { type Config, type Env, loadConfig } from "./env.ts";

/**
 * Everything a handler, queue consumer or cron job talks to, built once from the bindings.
 * Handlers read `c.get("services")`, never `c.env` (docs/architecture.md, "Services").
 */
export type Services = {
  config: Config;
  db: Db;
  /** KV: read-through caches (API keys, active heal models, sources). */
  cache: KVNamespace;
  /** API key lookups (in `cache`) and the per-org auth epoch that invalidates them (RATE_LIMITER). */
  keyCache: KeyCache;
  /** R2: heal examples, screenshots, uploaded artifacts. */
  artifacts: R2Bucket;
  queues: {
    webhooks: Queue<unknown>;
    leadsRaw: Queue<unknown>;
    leadsScored: Queue<unknown>;
    outreachEvents: Queue<unknown>;
  };
  /** PIPELINE_BOARD: one live lead board per organisation. */
  boards: Env["PIPELINE_BOARD"];
  rateLimiter: Env["RATE_LIMITER"];
  rooms: Env["SESSION_ROOM"];
  /** The Workers AI binding, or null when `AI` is not bound (docs/ai.md). */
  workersAi: WorkersAiBinding | null;
  /** The mail provider, or null when none is configured (the dashboard shows links to copy). */
  mail: EmailClient | null;
  logger: Logger;
  clock: Clock;
};

/** Everything but the logger depends only on the environment: built once per env object (per isolate). */
const wired = new WeakMap<Env, Omit<Services, "logger">>();

/**
 * Throws ConfigError (→ 503 for every request) when a secret is missing or weak. Bindings are
 * guarded (workers/bindings.ts): a failing or silent dependency surfaces as DependencyUnavailable.
 */
export function createServices(env: Env, logFields: Record<string, unknown> = {}): Services {
  let base = wired.get(env);
  if (!base) {
    base = wire(env);
    wired.set(env, base);
  }
  return { ...base, logger: jsonLogger(logFields) };
}

function wire(env: Env): Omit<Services, "logger"> {
  const config = loadConfig(env);
  const ms = config.dependencyTimeoutMs;
  const cache = guardKv(env.CACHE, "CACHE", ms);
  const rateLimiter = guardDurableObjects(env.RATE_LIMITER, "RATE_LIMITER", ms);
  return {
    config,
    db: createDb(guardD1(env.DB, "DB", ms)),
    cache,
    keyCache: {
      kv: cache,
      bumpEpoch: (orgId) => rateLimiter.get(rateLimiter.idFromName(orgId)).bumpAuthEpoch(),
    },
    artifacts: guardR2(env.ARTIFACTS, "ARTIFACTS", ms),
    queues: {
      webhooks: guardQueue(env.WEBHOOKS, "WEBHOOKS", ms),
      leadsRaw: guardQueue(env.LEADS_RAW, "LEADS_RAW", ms),
      leadsScored: guardQueue(env.LEADS_SCORED, "LEADS_SCORED", ms),
      outreachEvents: guardQueue(env.OUTREACH_EVENTS, "OUTREACH_EVENTS", ms),
    },
    boards: guardDurableObjects(env.PIPELINE_BOARD, "PIPELINE_BOARD", ms),
    rateLimiter,
    rooms: guardDurableObjects(env.SESSION_ROOM, "SESSION_ROOM", ms),
    // The runtime's `Ai` type overloads `run` per model; the client needs only run(model, inputs).
    workersAi: (env.AI as unknown as WorkersAiBinding | undefined) ?? null,
    mail: config.email ? httpEmailClient(config.email) : null,
    clock: systemClock,
  };
}
