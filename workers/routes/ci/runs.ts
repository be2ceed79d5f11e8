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

ci.handle(getRunRoute, async function getRunHandler(c) {
  return c.json(await getRun(c.get("services").db, orgIdOf(c), c.req.valid("param").runId), 200);
});

const listResultsRoute = ci.get("/runs/{runId}/results", {
  summary: "A run's test results",
  request: { params: runParams, query: resultsQuerySchema },
  responses: { 200: jsonContent(pageOf(resultSchema), "A page of results") },
});

ci.handle(listResultsRoute, async function listResultsHandler(c) {
  const { runId } = c.req.valid("param");
  return c.json(await listRunResults(c.get("services").db, orgIdOf(c), runId, c.req.valid("query")), 200);
});

const getGateRoute = ci.get("/runs/{runId}/gate", {
  summary: "The run's quality-gate evaluation",
  request: { params: runParams },
  responses: { 200: jsonContent(gateSchema, "pass, fail or warn, with a reason per rule") },
});

ci.handle(getGateRoute, async function getGateHandler(c) {
  return c.json(await getRunGate(c.get("services").db, orgIdOf(c), c.req.valid("param").runId), 200);
});

const compareRoute = ci.get("/runs/{runId}/compare", {
  summary: "Triage: the run's results beside its reference run's, failures (new ones first) first",
  request: { params: runParams, query: compareQuerySchema },
  responses: { 200: jsonContent(runComparisonSchema, "Every result with the reference run's status") },
});

ci.handle(compareRoute, async function compareHandler(c) {
  const { runId } = c.req.valid("param");
  const { sort } = c.req.valid("query");
  return c.json(await compareRun(c.get("services").db, orgIdOf(c), runId, sort), 200);
});

export const registerRunRoutes = (app: Router) => ci.register(app);
