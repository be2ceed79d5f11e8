import { createDb, type Db } from "../shared/db/client.ts";
import { type Clock, jsonLogger, type Logger, systemClock } from "../shared/logger.ts";
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
  logger: Logger;
  clock: Clock;
};

/** Throws ConfigError (→ 503 for every request) when a secret is missing or weak. */
export function createServices(env: Env, logFields: Record<string, unknown> = {}): Services {
  return {
    config: loadConfig(env),
    db: createDb(env.DB),
    cache: env.CACHE,
    artifacts: env.ARTIFACTS,
    queues: {
      webhooks: env.WEBHOOKS,
      leadsRaw: env.LEADS_RAW,
      leadsScored: env.LEADS_SCORED,
      outreachEvents: env.OUTREACH_EVENTS,
    },
    boards: env.PIPELINE_BOARD,
    rateLimiter: env.RATE_LIMITER,
    rooms: env.SESSION_ROOM,
    logger: jsonLogger(logFields),
    clock: systemClock,
  };
}
