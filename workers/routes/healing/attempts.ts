import {
  healAttemptFilterSchema,
  healAttemptSchema,
  healStatsFilterSchema,
  healStatsSchema,
} from "../../../shared/contract/healing.ts";
import { healStats, listAttempts } from "../../../shared/healing/store/attempts.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, pageOf, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const heal = routeGroup({ tags: ["Healing"], permission: "heal:read", rate: { policy: "heal" } });

const listAttemptsRoute = heal.get("/heal/attempts", {
  summary: "Heal attempts, newest first",
  request: { query: pageQuerySchema.extend(healAttemptFilterSchema.shape) },
  responses: { 200: jsonContent(pageOf(healAttemptSchema), "Attempts") },
});

heal.handle(listAttemptsRoute, async function listAttemptsHandler(c) {
  const page = await listAttempts(c.get("services"), orgIdOf(c), c.req.valid("query"));
  return c.json(page, 200);
});

const healStatsRoute = heal.get("/heal/stats", {
  summary: "Heal rate and acceptance rate, overall, by strategy and by project",
  request: { query: healStatsFilterSchema },
  responses: { 200: jsonContent(healStatsSchema, "Stats") },
});

heal.handle(healStatsRoute, async function healStatsHandler(c) {
  const stats = await healStats(c.get("services"), orgIdOf(c), c.req.valid("query"));
  return c.json(stats, 200);
});

export const registerAttemptRoutes = (app: Router) => heal.register(app);
