import type { Router } from "../../openapi.ts";
import { registerWebhookEndpointRoutes } from "./endpoints.ts";
import { registerWebhookEventRoutes } from "./events.ts";
import { registerWebhookSourceRoutes } from "./sources.ts";

/** /v1 webhook API: sources (inbound), endpoints (outbound), events, attempts, replay, DLQ. */
export function registerWebhookRoutes(app: Router) {
  registerWebhookSourceRoutes(app);
  registerWebhookEndpointRoutes(app);
  registerWebhookEventRoutes(app);
}
