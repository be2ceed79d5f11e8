import type { BoardFrame } from "../contract/pipeline.ts";
import type { Db } from "../db/client.ts";
import type { Rng } from "./bandit.ts";
import type { OutreachMessage, ScoredMessage } from "./messages.ts";
import type { AiScorer } from "./scoring.ts";

/** What the stages and use cases talk to; built from the bindings in workers/queues/pipeline.ts. */
export type PipelineDeps = {
  db: Db;
  now: () => number;
  random: Rng;
  publishScored: (messages: ScoredMessage[]) => Promise<void>;
  publishOutreach: (messages: OutreachMessage[]) => Promise<void>;
  /** Best effort: the board is a view; a lost frame is repaired by the next snapshot. */
  notify: (orgId: string, frames: BoardFrame[]) => Promise<void>;
  /** Signs and posts one outreach.send to every subscribed endpoint (see outbound.ts). */
  fetch: typeof fetch;
  encryptionKey: string;
  allowLoopback: boolean;
  backoffScale: number;
  ai?: AiScorer;
};
