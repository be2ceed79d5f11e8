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
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
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

ci.handle(listTestsRoute, async function listTestsHandler(c) {
  const { projectId } = c.req.valid("param");
  return c.json(await listTests(c.get("services").db, orgIdOf(c), projectId, c.req.valid("query")), 200);
});

const listFlakyRoute = ci.get("/projects/{projectId}/flaky", {
  summary: "Flaky tests with failure rate, Wilson interval, sample size and last flip",
  request: { params: projectParams, query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(testSchema), "A page of flaky tests") },
});

ci.handle(listFlakyRoute, async function listFlakyHandler(c) {
  const { projectId } = c.req.valid("param");
  return c.json(await listFlakyTests(c.get("services").db, orgIdOf(c), projectId, c.req.valid("query")), 200);
});

const getTestRoute = ci.get("/tests/{testId}", {
  summary: "Get a test",
  request: { params: testParams },
  responses: { 200: jsonContent(testSchema, "The test") },
});

ci.handle(getTestRoute, async function getTestHandler(c) {
  return c.json(await getTest(c.get("services").db, orgIdOf(c), c.req.valid("param").testId), 200);
});

const historyRoute = ci.get("/tests/{testId}/history", {
  summary: "A test's results across runs, newest first",
  request: { params: testParams, query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(resultSchema), "A page of results") },
});

ci.handle(historyRoute, async function historyHandler(c) {
  const { testId } = c.req.valid("param");
  return c.json(await testHistory(c.get("services").db, orgIdOf(c), testId, c.req.valid("query")), 200);
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
  ci.handle(route, async function setQuarantineHandler(c) {
    const { testId } = c.req.valid("param");
    const db = c.get("services").db;
    return c.json(await setQuarantine(db, orgIdOf(c), auditContext(c), testId, quarantined), 200);
  });
}
handleQuarantine("post");
handleQuarantine("delete");

const trendsRoute = ci.get("/projects/{projectId}/trends", {
  summary: "Daily pass rate, duration p50/p95, flaky and heal figures, and the slowest tests; per branch",
  request: { params: projectParams, query: trendsQuerySchema },
  responses: { 200: jsonContent(trendsSchema, "One point per day of the window") },
});

ci.handle(trendsRoute, async function trendsHandler(c) {
  const { projectId } = c.req.valid("param");
  return c.json(await ciTrends(c.get("services").db, orgIdOf(c), projectId, c.req.valid("query")), 200);
});

export const registerTestRoutes = (app: Router) => ci.register(app);
