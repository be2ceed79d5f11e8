import type { Router } from "../../openapi.ts";
import { registerBoardRoutes } from "./board.ts";
import { registerCrmHookRoute } from "./crm-hook.ts";
import { registerExperimentRoutes } from "./experiments.ts";
import { registerLeadRoutes } from "./leads.ts";
import { registerOutreachRoutes } from "./outreach.ts";
import { registerLeadOverrideRoutes } from "./overrides.ts";

/** /v1 lead pipeline: leads and their overrides, experiments, engagement events, the live board. */
export function registerPipelineRoutes(app: Router) {
  registerLeadRoutes(app);
  registerCrmHookRoute(app);
  registerLeadOverrideRoutes(app);
  registerExperimentRoutes(app);
  registerOutreachRoutes(app);
  registerBoardRoutes(app);
}
