import { getTest, listFlakyTests, listTests, setQuarantine, testHistory } from "../../../shared/ci/tests.ts";
import { ciTrends } from "../../../shared/ci/trends.ts";
import {
  resultSchema,
  testSchema,
  testsQuerySchema,
  trendsQuerySchema,
  trendsSchema,
} from "../../../shared/contract/ci.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute, routeGroup } from "../../route.ts";

const tags = ["CI"];
const ci = routeGroup({ tags, permission: "runs:read" });
const testParams = idParam("testId", "tst");
const projectParams = idParam("projectId", "prj");

const listTestsRoute = ci.get("/projects/{projectId}/tests", {
  summary: "A project's tests, newest first; search by name, file or tag, filter by health or quarantine",
  request: { params: projectParams, query: testsQuerySchema },
  responses: { 200: jsonContent(pageOf(testSchema), "A page of tests") },
});

ci.answer(listTestsRoute, function listTestsHandler({ db, orgId, param, query }) {
  return listTests(db, orgId, param.projectId, query);
});

const listFlakyRoute = ci.get("/projects/{projectId}/flaky", {
  summary: "Flaky tests with failure rate, Wilson interval, sample size and last flip",
  request: { params: projectParams, query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(testSchema), "A page of flaky tests") },
});

ci.answer(listFlakyRoute, function listFlakyHandler({ db, orgId, param, query }) {
  return listFlakyTests(db, orgId, param.projectId, query);
});

const getTestRoute = ci.get("/tests/{testId}", {
  summary: "Get a test",
  request: { params: testParams },
  responses: { 200: jsonContent(testSchema, "The test") },
});

ci.answer(getTestRoute, function getTestHandler({ db, orgId, param }) {
  return getTest(db, orgId, param.testId);
});

const historyRoute = ci.get("/tests/{testId}/history", {
  summary: "A test's results across runs, newest first",
  request: { params: testParams, query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(resultSchema), "A page of results") },
});

ci.answer(historyRoute, function historyHandler({ db, orgId, param, query }) {
  return testHistory(db, orgId, param.testId, query);
});

/** POST quarantines the test (its failures stop failing the gate), DELETE releases it. */
function handleQuarantine(method: "post" | "delete") {
  const quarantined = method === "post";
  const route = defineRoute({
    method,
    path: "/tests/{testId}/quarantine",
    tags,
    summary: quarantined
      ? "Quarantine a test (its failures stop failing the gate)"
      : "Release a test from quarantine",
    permission: "runs:write",
    request: { params: testParams },
    responses: { 200: jsonContent(testSchema, "The test") },
  });
  ci.answer(route, function setQuarantineHandler({ db, orgId, audit, param }) {
    return setQuarantine(db, orgId, audit, param.testId, quarantined);
  });
}
handleQuarantine("post");
handleQuarantine("delete");

const trendsRoute = ci.get("/projects/{projectId}/trends", {
  summary: "Daily pass rate, duration p50/p95, flaky and heal figures, and the slowest tests; per branch",
  request: { params: projectParams, query: trendsQuerySchema },
  responses: { 200: jsonContent(trendsSchema, "One point per day of the window") },
});

ci.answer(trendsRoute, function trendsHandler({ db, orgId, param, query }) {
  return ciTrends(db, orgId, param.projectId, query);
});

export const registerTestRoutes = (app: Router) => ci.register(app);
