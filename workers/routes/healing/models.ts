import { healingModelVersionSchema, retrainResultSchema } from "../../../shared/contract/healing.ts";
import {
  activateDefaultModel,
  activateModel,
  listModels,
  retrainNow,
} from "../../../shared/healing/store/models.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";

const heal = routeGroup({ tags: ["Healing models"], permission: "models:manage", rate: { policy: "heal" } });

const listModelsRoute = heal.get("/heal/models", {
  summary: "The org's healing model versions (registry), newest first",
  permission: "heal:read",
  request: { query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(healingModelVersionSchema), "Versions") },
});

heal.handle(listModelsRoute, async function listModelsHandler(c) {
  return c.json(await listModels(c.get("services"), orgIdOf(c), c.req.valid("query")), 200);
});

const retrainRoute = heal.post("/heal/models/retrain", {
  summary: "Retrain now on the org's feedback; promoted only if it beats the active model on held-out data",
  errors: [409],
  responses: { 200: jsonContent(retrainResultSchema, "Outcome") },
});

heal.handle(retrainRoute, async function retrainHandler(c) {
  return c.json(await retrainNow(c.get("services"), orgIdOf(c), auditContext(c)), 200);
});

const activateDefaultRoute = heal.post("/heal/models/default/activate", {
  summary: "Go back to Shifty's default model (retires the org's active version)",
  responses: { 204: { description: "Default model active" } },
});

// Handled before /heal/models/{modelId}/activate: "default" is not a model id.
heal.handle(activateDefaultRoute, async function activateDefaultHandler(c) {
  await activateDefaultModel(c.get("services"), orgIdOf(c), auditContext(c));
  return c.body(null, 204);
});

const activateRoute = heal.post("/heal/models/{modelId}/activate", {
  summary: "Make a version the active model (roll back or forward)",
  request: { params: idParam("modelId", "mdl") },
  responses: { 200: jsonContent(healingModelVersionSchema, "The active version") },
});

heal.handle(activateRoute, async function activateHandler(c) {
  const { modelId } = c.req.valid("param");
  return c.json(await activateModel(c.get("services"), orgIdOf(c), auditContext(c), modelId), 200);
});

export function registerModelRoutes(app: Router) {
  heal.register(app);
}
