import { buildApp } from "./app.ts";
import { runScheduled } from "./cron/index.ts";
import type { Env } from "./env.ts";
import { handleQueue } from "./queues/index.ts";

export { PipelineBoard } from "../durable-objects/pipeline-board.ts";
export { RateLimiter } from "../durable-objects/rate-limiter.ts";
export { SessionRoom } from "../durable-objects/session-room.ts";

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: runScheduled,
} satisfies ExportedHandler<Env>;
