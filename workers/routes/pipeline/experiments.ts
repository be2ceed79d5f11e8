import {
  createdSchema,
  createExperimentSchema,
  experimentPageSchema,
  experimentSchema,
  pipelineSettingsSchema,
} from "../../../shared/contract/pipeline.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import {
  changeExperimentStatus,
  createExperiment,
  getExperiment,
  listExperiments,
  setThreshold,
} from "../../../shared/pipeline/experiments.ts";
import { thresholdOf } from "../../../shared/pipeline/repository.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
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
  summary: "List experiments, newest first, with their posteriors",
  request: { query: pageQuerySchema },
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

pipeline.handle(createRoute, async function createExperimentHandler(c) {
  const { db, clock } = c.get("services");
  return c.json(await createExperiment(db, orgIdOf(c), c.req.valid("json"), auditContext(c), clock()), 201);
});
pipeline.handle(listRoute, async function listExperimentsHandler(c) {
  return c.json(await listExperiments(c.get("services").db, orgIdOf(c), c.req.valid("query")), 200);
});
pipeline.handle(getRoute, async function getExperimentHandler(c) {
  return c.json(
    await getExperiment(c.get("services").db, orgIdOf(c), c.req.valid("param").experimentId),
    200,
  );
});
for (const action of ["pause", "resume", "stop"] as const) {
  pipeline.handle(statusRoute(action), async function experimentStatusHandler(c) {
    const { db, clock } = c.get("services");
    const id = c.req.valid("param").experimentId;
    return c.json(await changeExperimentStatus(db, orgIdOf(c), id, action, auditContext(c), clock()), 200);
  });
}
pipeline.handle(getSettingsRoute, async function getPipelineSettingsHandler(c) {
  return c.json({ threshold: await thresholdOf(c.get("services").db, orgIdOf(c)) }, 200);
});
pipeline.handle(putSettingsRoute, async function putPipelineSettingsHandler(c) {
  const { db, clock } = c.get("services");
  return c.json(
    await setThreshold(db, orgIdOf(c), c.req.valid("json").threshold, auditContext(c), clock()),
    200,
  );
});

export const registerExperimentRoutes = (app: Router) => pipeline.register(app);
