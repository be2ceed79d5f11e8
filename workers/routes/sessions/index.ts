import type { Router } from "../../openapi.ts";
import { registerSessionEventRoutes } from "./events.ts";
import { registerSessionExportRoutes } from "./export.ts";
import { registerJiraRoutes } from "./jira.ts";
import { registerSessionLiveRoutes } from "./live.ts";
import { registerSessionScreenshotRoutes } from "./screenshots.ts";
import { registerSessionCrudRoutes } from "./sessions.ts";

/** The manual session hub (docs/sessions-api.md): sessions, live room, screenshots, Jira export, session export. */
export function registerSessionRoutes(app: Router) {
  registerSessionCrudRoutes(app);
  registerSessionEventRoutes(app);
  registerSessionLiveRoutes(app);
  registerSessionScreenshotRoutes(app);
  registerJiraRoutes(app);
  registerSessionExportRoutes(app);
}
