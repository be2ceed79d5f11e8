import { healingModelVersionSchema, retrainResultSchema } from "../../../shared/contract/healing.ts";
import {
  activateDefaultModel,
  activateModel,
  listModels,
  retrainNow,
} from "../../../shared/healing/store/models.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const heal = routeGroup({ tags: ["Healing models"], permission: "models:manage", rate: { policy: "heal" } });

const listModelsRoute = heal.get("/heal/models", {
  summary: "The org's healing model versions (registry), newest first",
  permission: "heal:read",
  request: { query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(healingModelVersionSchema), "Versions") },
});

heal.answer(listModelsRoute, function listModelsHandler({ services, orgId, query }) {
  return listModels(services, orgId, query);
});

const retrainRoute = heal.post("/heal/models/retrain", {
  summary: "Retrain now on the org's feedback; promoted only if it beats the active model on held-out data",
  errors: [409],
  responses: { 200: jsonContent(retrainResultSchema, "Outcome") },
});

heal.answer(retrainRoute, function retrainHandler({ services, orgId, audit }) {
  return retrainNow(services, orgId, audit);
});

const activateDefaultRoute = heal.post("/heal/models/default/activate", {
  summary: "Go back to Shifty's default model (retires the org's active version)",
  responses: { 204: { description: "Default model active" } },
});

// Handled before /heal/models/{modelId}/activate: "default" is not a model id.
heal.answer(activateDefaultRoute, function activateDefaultHandler({ services, orgId, audit }) {
  return activateDefaultModel(services, orgId, audit);
});

const activateRoute = heal.post("/heal/models/{modelId}/activate", {
  summary: "Make a version the active model (roll back or forward)",
  request: { params: idParam("modelId", "mdl") },
  responses: { 200: jsonContent(healingModelVersionSchema, "The active version") },
});

heal.answer(activateRoute, function activateHandler({ services, orgId, audit, param }) {
  return activateModel(services, orgId, audit, param.modelId);
});

export function registerModelRoutes(app: Router) {
  heal.register(app);
}
