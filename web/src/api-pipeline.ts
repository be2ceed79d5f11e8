// Typed calls of the lead pipeline (workers/routes/pipeline/); the shapes come from the server's contract.

import type {
  BoardFrame,
  BoardSnapshot,
  Experiment,
  ExperimentStatus,
  LeadCard,
  LeadDetail,
  LeadStatus,
  Persona,
} from "../../shared/contract/pipeline.ts";
import { json, type Page } from "./api.ts";
import { everyOf } from "./every-of.ts";

export type { BoardFrame, BoardSnapshot, Experiment, LeadCard, LeadDetail, LeadStatus, Persona };

/** The board's columns: the lead statuses a lead moves through (snoozed and suppressed leads leave the board). */
export const BOARD_COLUMNS = [
  "raw",
  "scored",
  "contacted",
  "engaged",
  "converted",
] as const satisfies readonly LeadStatus[];
export const PERSONA_OPTIONS = everyOf<Persona>()([
  "developer",
  "qa_lead",
  "engineering_manager",
  "product_owner",
  "designer",
  "executive",
  "other",
]);

const enc = encodeURIComponent;

export const pipelineApi = {
  board: () => json<BoardSnapshot>("GET", "/v1/pipeline/board"),
  boardToken: () =>
    json<{ token: string; url: string; expiresAt: number }>("POST", "/v1/pipeline/board/token"),
  lead: (id: string) => json<LeadDetail>("GET", `/v1/leads/${enc(id)}`),
  /**
   * The experiment the board shows: the newest active one, else the newest of any status. Asked by
   * status, since active experiments may be older than many stopped ones.
   */
  shownExperiment: async (): Promise<Experiment | null> => {
    const newest = (status?: ExperimentStatus) =>
      json<Page<Experiment>>("GET", "/v1/experiments", { query: { status, limit: 1 } });
    return (await newest("active")).items[0] ?? (await newest()).items[0] ?? null;
  },
  snooze: (id: string, until: number) =>
    json<{ card: LeadCard }>("POST", `/v1/leads/${enc(id)}/snooze`, { json: { until } }),
  force: (id: string) => json<{ card: LeadCard }>("POST", `/v1/leads/${enc(id)}/outreach`, { json: {} }),
  suppress: (id: string) => json<{ card: LeadCard }>("POST", `/v1/leads/${enc(id)}/suppress`),
};
