import type { Router } from "../openapi.ts";
import { registerAiRoutes } from "./ai/index.ts";
import { registerCiRoutes } from "./ci/index.ts";
import { registerGenerationDomainRoutes } from "./generation/index.ts";
import { registerHealingRoutes } from "./healing/index.ts";
import { registerInsightRoutes } from "./insight/index.ts";
import { registerMcpPolicyRoutes } from "./mcp/policy.ts";
import { registerNotificationRoutes } from "./notifications/index.ts";
import { registerPipelineRoutes } from "./pipeline/index.ts";
import { registerSessionRoutes } from "./sessions/index.ts";
import { registerTenancyRoutes } from "./tenancy/index.ts";
import { registerWebhookRoutes } from "./webhooks/index.ts";

/** Every /v1 route group; each domain registers itself here (one line per domain). */
export function registerV1Routes(v1: Router) {
  registerTenancyRoutes(v1);
  registerHealingRoutes(v1);
  registerWebhookRoutes(v1);
  registerCiRoutes(v1);
  registerSessionRoutes(v1);
  registerPipelineRoutes(v1);
  registerMcpPolicyRoutes(v1);
  registerGenerationDomainRoutes(v1);
  registerInsightRoutes(v1);
  registerAiRoutes(v1);
  registerNotificationRoutes(v1);
}
