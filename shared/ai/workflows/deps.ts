import type { Db } from "../../db/client.ts";
import type { Logger } from "../../logger.ts";
import type { ShiftyEvent } from "../../notifications/events.ts";
import type { LlmConfig } from "../config.ts";
import type { AiDeps } from "../service.ts";

/** Everything a workflow talks to; the queue consumer builds it from the Worker's services. */
export type WorkflowDeps = {
  db: Db;
  fetch: typeof fetch;
  now: () => number;
  logger: Logger;
  encryptionKey: string;
  llm: LlmConfig;
  githubApiUrl: string;
  publicUrl: string;
  /** Loopback notification targets only in local development (shared/net/outbound-url.ts). */
  allowLoopback: boolean;
  retry?: AiDeps["retry"];
  workersAi?: AiDeps["workersAi"];
  /** Every AI call of a workflow takes a token from the org's `ai` bucket (docs/ai.md). */
  spendAiToken?: AiDeps["spendAiToken"];
  /** Emits one of Shifty's own events (docs/notifications.md), idempotent on its key. */
  emit?: (event: ShiftyEvent) => Promise<unknown>;
};

export const aiDepsOf = (deps: WorkflowDeps): AiDeps => ({
  db: deps.db,
  llm: deps.llm,
  fetch: deps.fetch,
  now: deps.now,
  retry: deps.retry,
  workersAi: deps.workersAi,
  spendAiToken: deps.spendAiToken,
});

type Obj = Record<string, unknown>;
/** A nested field of an untyped payload, as an object (or `{}`). */
export const objAt = (value: unknown, ...path: string[]): Obj => {
  let current: unknown = value;
  for (const key of path)
    current = current && typeof current === "object" ? (current as Obj)[key] : undefined;
  return current && typeof current === "object" && !Array.isArray(current) ? (current as Obj) : {};
};
export const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
