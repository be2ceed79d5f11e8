import type { Router } from "../../openapi.ts";
import { registerGenerationRoutes } from "./generations.ts";

export function registerGenerationDomainRoutes(v1: Router) {
  registerGenerationRoutes(v1);
}
