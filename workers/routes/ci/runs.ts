import { compareRun } from "../../../shared/ci/compare.ts";
import { getRun, getRunGate, listRunResults, listRuns } from "../../../shared/ci/runs.ts";
import {
  compareQuerySchema,
  gateSchema,
  resultSchema,
  resultsQuerySchema,
  runComparisonSchema,
  runSchema,
  runsQuerySchema,
} from "../../../shared/contract/ci.ts";
import { jsonWithEtag, notModifiedResponse } from "../../etag.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const ci = routeGroup({ tags: ["CI"], permission: "runs:read" });
const runParams = idParam("runId", "run");

const listRunsRoute = ci.get("/projects/{projectId}/runs", {
  summary: "List a project's runs, newest first",
  request: { params: idParam("projectId", "prj"), query: runsQuerySchema },
  description:
    "Answers with an ETag; a request whose If-None-Match names it gets 304 (the dashboard polls this).",
  responses: { 200: jsonContent(pageOf(runSchema), "A page of runs"), ...notModifiedResponse },
});

ci.handle(listRunsRoute, async function listRunsHandler(c) {
  const { projectId } = c.req.valid("param");
  const page = await listRuns(c.get("services").db, orgIdOf(c), projectId, c.req.valid("query"));
  return jsonWithEtag(c, page);
});

const getRunRoute = ci.get("/runs/{runId}", {
  summary: "Get a run",
  request: { params: runParams },
  responses: { 200: jsonContent(runSchema, "The run") },
});

ci.answer(getRunRoute, function getRunHandler({ db, orgId, param }) {
  return getRun(db, orgId, param.runId);
});

const listResultsRoute = ci.get("/runs/{runId}/results", {
  summary: "A run's test results",
  request: { params: runParams, query: resultsQuerySchema },
  responses: { 200: jsonContent(pageOf(resultSchema), "A page of results") },
});

ci.answer(listResultsRoute, function listResultsHandler({ db, orgId, param, query }) {
  return listRunResults(db, orgId, param.runId, query);
});

const getGateRoute = ci.get("/runs/{runId}/gate", {
  summary: "The run's quality-gate evaluation",
  request: { params: runParams },
  responses: { 200: jsonContent(gateSchema, "pass, fail or warn, with a reason per rule") },
});

ci.answer(getGateRoute, function getGateHandler({ db, orgId, param }) {
  return getRunGate(db, orgId, param.runId);
});

const compareRoute = ci.get("/runs/{runId}/compare", {
  summary: "Triage: the run's results beside its reference run's, failures (new ones first) first",
  request: { params: runParams, query: compareQuerySchema },
  responses: { 200: jsonContent(runComparisonSchema, "Every result with the reference run's status") },
});

ci.answer(compareRoute, function compareHandler({ db, orgId, param, query }) {
  return compareRun(db, orgId, param.runId, query.sort);
});

export const registerRunRoutes = (app: Router) => ci.register(app);
