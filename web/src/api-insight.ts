// Typed calls of insight (workers/routes/insight/, docs/insight.md): the DORA four keys of a project or
// the organisation, ROI and its assumptions. The shapes are the server's contract (shared/contract/insight.ts).
import type {
  DoraKey,
  DoraReport,
  RoiAssumptions,
  RoiAssumptionsState,
  RoiReport,
} from "../../shared/contract/insight.ts";
import { enc, json } from "./api.ts";

export type { DoraKey, DoraReport, RoiAssumptions, RoiAssumptionsState, RoiReport };

export type Window = { from: number; to: number };

export const insightApi = {
  dora: (projectId: string | null, window: Window) =>
    json<DoraReport>(
      "GET",
      projectId ? `/v1/projects/${enc(projectId)}/insights/dora` : "/v1/insights/dora",
      { query: window },
    ),
  roi: (projectId: string, window: Window) =>
    json<RoiReport>("GET", `/v1/projects/${enc(projectId)}/insights/roi`, { query: window }),
  assumptions: () => json<RoiAssumptionsState>("GET", "/v1/insights/assumptions"),
  setAssumptions: (body: RoiAssumptions) =>
    json<RoiAssumptionsState>("PUT", "/v1/insights/assumptions", { json: body }),
};
