import type { Router } from "../../openapi.ts";
import { registerAttemptRoutes } from "./attempts.ts";
import { registerFeedbackRoute } from "./feedback.ts";
import { registerHealRoute } from "./heal.ts";
import { registerHealContextRoute } from "./heal-context.ts";
import { registerHealedLocatorRoutes } from "./locators.ts";
import { registerModelRoutes } from "./models.ts";
import { registerSuggestionRoutes } from "./suggestions.ts";

export function registerHealingRoutes(v1: Router) {
  registerHealRoute(v1);
  // Static paths before /heal/{attemptId}/…: "attempts", "stats" and "models" are not attempt ids.
  registerAttemptRoutes(v1);
  registerSuggestionRoutes(v1);
  registerModelRoutes(v1);
  registerHealedLocatorRoutes(v1);
  registerHealContextRoute(v1);
  registerFeedbackRoute(v1);
}
