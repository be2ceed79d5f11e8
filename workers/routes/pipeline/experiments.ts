import {
  createdSchema,
  createExperimentSchema,
  experimentListQuery,
  experimentPageSchema,
  experimentSchema,
  pipelineSettingsSchema,
} from "../../../shared/contract/pipeline.ts";
import {
  changeExperimentStatus,
  createExperiment,
  getExperiment,
  listExperiments,
  setThreshold,
} from "../../../shared/pipeline/experiments.ts";
import { thresholdOf } from "../../../shared/pipeline/repository.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute, routeGroup } from "../../route.ts";
import { tags } from "./leads.ts";

const pipeline = routeGroup({ tags, permission: "leads:read" });

const params = idParam("experimentId", "exp");

const createRoute = pipeline.post("/experiments", {
  summary: "Start an outreach experiment (Thompson sampling over its variants)",
  permission: "leads:manage",
  request: { body: jsonBody(createExperimentSchema) },
  responses: { 201: jsonContent(createdSchema, "The experiment's id") },
});

const listRoute = pipeline.get("/experiments", {
  summary: "List experiments, newest first, with their posteriors; `status` keeps one status",
  request: { query: experimentListQuery },
  responses: { 200: jsonContent(experimentPageSchema, "A page of experiments") },
});

const getRoute = pipeline.get("/experiments/{experimentId}", {
  summary: "One experiment: per variant sends, conversions, Beta posterior and P(best)",
  request: { params },
  responses: { 200: jsonContent(experimentSchema, "The experiment") },
});

const statusRoute = (action: "pause" | "resume" | "stop") =>
  defineRoute({
    method: "post",
    path: `/experiments/{experimentId}/${action}`,
    tags,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} an experiment`,
    permission: "leads:manage",
    errors: [409],
    request: { params },
    responses: { 200: jsonContent(experimentSchema, "The experiment") },
  });

const getSettingsRoute = pipeline.get("/pipeline/settings", {
  summary: "The organisation's outreach threshold (score at or above which a lead is contacted)",
  responses: { 200: jsonContent(pipelineSettingsSchema, "The settings") },
});

const putSettingsRoute = pipeline.put("/pipeline/settings", {
  summary: "Change the outreach threshold",
  permission: "leads:manage",
  request: { body: jsonBody(pipelineSettingsSchema) },
  responses: { 200: jsonContent(pipelineSettingsSchema, "The settings") },
});

pipeline.answer(createRoute, function createExperimentHandler({ services, orgId, audit, json }) {
  return createExperiment(services.db, orgId, json, audit, services.clock());
});
pipeline.answer(listRoute, function listExperimentsHandler({ db, orgId, query }) {
  return listExperiments(db, orgId, query);
});
pipeline.answer(getRoute, function getExperimentHandler({ db, orgId, param }) {
  return getExperiment(db, orgId, param.experimentId);
});
for (const action of ["pause", "resume", "stop"] as const) {
  pipeline.answer(statusRoute(action), function experimentStatusHandler({ services, orgId, audit, param }) {
    const { db, clock } = services;
    return changeExperimentStatus(db, orgId, param.experimentId, action, audit, clock());
  });
}
pipeline.answer(getSettingsRoute, async function getPipelineSettingsHandler({ db, orgId }) {
  return { threshold: await thresholdOf(db, orgId) };
});
pipeline.answer(putSettingsRoute, function putPipelineSettingsHandler({ services, orgId, audit, json }) {
  return setThreshold(services.db, orgId, json.threshold, audit, services.clock());
});

export const registerExperimentRoutes = (app: Router) => pipeline.register(app);
