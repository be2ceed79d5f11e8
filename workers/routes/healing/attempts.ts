import {
  healAttemptFilterSchema,
  healAttemptSchema,
  healStatsFilterSchema,
  healStatsSchema,
} from "../../../shared/contract/healing.ts";
import { healStats, listAttempts } from "../../../shared/healing/store/attempts.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { jsonContent, pageOf, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const heal = routeGroup({ tags: ["Healing"], permission: "heal:read", rate: { policy: "heal" } });

const listAttemptsRoute = heal.get("/heal/attempts", {
  summary: "Heal attempts, newest first",
  request: { query: pageQuerySchema.extend(healAttemptFilterSchema.shape) },
  responses: { 200: jsonContent(pageOf(healAttemptSchema), "Attempts") },
});

heal.answer(listAttemptsRoute, function listAttemptsHandler({ services, orgId, query }) {
  return listAttempts(services, orgId, query);
});

const healStatsRoute = heal.get("/heal/stats", {
  summary: "Heal rate and acceptance rate, overall, by strategy and by project",
  request: { query: healStatsFilterSchema },
  responses: { 200: jsonContent(healStatsSchema, "Stats") },
});

heal.answer(healStatsRoute, function healStatsHandler({ services, orgId, query }) {
  return healStats(services, orgId, query);
});

export const registerAttemptRoutes = (app: Router) => heal.register(app);
