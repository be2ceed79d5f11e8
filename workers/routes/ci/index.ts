import type { Router } from "../../openapi.ts";
import { registerArtifactRoutes } from "./artifacts.ts";
import { registerClusterRoutes } from "./clusters.ts";
import { registerGateRuleRoutes } from "./gate-rules.ts";
import { registerGithubIntegrationRoutes } from "./github-integration.ts";
import { registerRunRoutes } from "./runs.ts";
import { registerTestRoutes } from "./tests.ts";
import { registerUploadRunRoute } from "./upload-run.ts";

/** CI governor: report ingest, runs, tests and flakiness, clusters, gate, GitHub, failure artifacts. */
export function registerCiRoutes(app: Router) {
  registerUploadRunRoute(app);
  registerRunRoutes(app);
  registerTestRoutes(app);
  registerClusterRoutes(app);
  registerGateRuleRoutes(app);
  registerGithubIntegrationRoutes(app);
  registerArtifactRoutes(app);
}
