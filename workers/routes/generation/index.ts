import type { Router } from "../../openapi.ts";
import { registerGenerationRoutes } from "./generations.ts";
import { registerSessionGenerationRoutes } from "./session-generations.ts";

export function registerGenerationDomainRoutes(v1: Router) {
  registerGenerationRoutes(v1);
  registerSessionGenerationRoutes(v1);
}
