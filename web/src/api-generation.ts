// Typed calls of test generation (workers/routes/generation/): a project's generations and one job with
// its files. The shapes are the server's contract (shared/contract/generation.ts).
import type { Generation, GenerationSummary } from "../../shared/contract/generation.ts";
import { enc, json, type Page, type Paging } from "./api.ts";

export type { Generation, GenerationSummary };

export const SOURCE_LABELS = {
  exploration: "App exploration",
  session: "Manual session",
} as const satisfies Record<Generation["source"], string>;

/** A job is finished once it succeeded or failed; before that the detail view keeps asking. */
export const isTerminal = (status: Generation["status"]) => status === "succeeded" || status === "failed";

export const generationApi = {
  list: (projectId: string, query: Paging = {}) =>
    json<Page<GenerationSummary>>("GET", `/v1/projects/${enc(projectId)}/generations`, { query }),
  get: (generationId: string) => json<Generation>("GET", `/v1/generations/${enc(generationId)}`),
  /** Plans a spec from a manual session's recorded steps (422 when it has none). */
  fromSession: (sessionId: string) =>
    json<Generation>("POST", `/v1/sessions/${enc(sessionId)}/generate`, { json: {} }),
};
