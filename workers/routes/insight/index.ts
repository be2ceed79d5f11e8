import type { Context } from "hono";
import {
  doraReportSchema,
  type InsightWindowQuery,
  insightWindowQuerySchema,
  projectRepositoriesSchema,
  roiAssumptionsSchema,
  roiAssumptionsStateSchema,
  roiReportSchema,
} from "../../../shared/contract/insight.ts";
import { requireInOrg } from "../../../shared/db/org-scoped.ts";
import { projects } from "../../../shared/db/schema/tenancy.ts";
import { cachedInsight } from "../../../shared/insight/cache.ts";
import {
  listProjectRepositories,
  resolveWindow,
  setProjectRepositories,
} from "../../../shared/insight/dora-repository.ts";
import { getAssumptions, roiReport, setAssumptions } from "../../../shared/insight/roi.ts";
import { doraFromRollups } from "../../../shared/insight/rollup-dora.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { orgSettingsRoutes } from "../org-settings.ts";

/** Insight (docs/insight.md): the DORA four keys per project and per organisation, and ROI. */

const params = idParam("projectId", "prj");
const insight = routeGroup({ tags: ["Insight"], permission: "projects:read" });

const projectDoraRoute = insight.get("/projects/{projectId}/insights/dora", {
  summary: "DORA four keys of a project",
  request: { params, query: insightWindowQuerySchema },
  responses: { 200: jsonContent(doraReportSchema, "The four keys over the window") },
});

/** The report from the hourly rollups, through the KV cache of the org's current rollup generation. */
async function dora(c: Context<HonoEnv>, projectId: string | null, query: InsightWindowQuery) {
  const { db, cache, clock } = c.get("services");
  const orgId = orgIdOf(c);
  const w = resolveWindow(query, clock());
  // The project check runs alongside the cache read (a hit then costs one D1 read in parallel); a
  // miss computes only once the project is known to be the org's.
  const checked = projectId ? requireInOrg(db, projects, orgId, projectId, "Project") : Promise.resolve();
  const [, report] = await Promise.all([
    checked,
    cachedInsight(cache, db, orgId, `dora:${projectId ?? "*"}:${w.from}:${w.to}`, async () => {
      await checked;
      return doraFromRollups(db, orgId, projectId, w);
    }),
  ]);
  return report;
}

insight.handle(projectDoraRoute, async function projectDoraHandler(c) {
  return c.json(await dora(c, c.req.valid("param").projectId, c.req.valid("query")), 200);
});

const orgDoraRoute = insight.get("/insights/dora", {
  summary: "DORA four keys of the organisation",
  request: { query: insightWindowQuerySchema },
  responses: { 200: jsonContent(doraReportSchema, "The four keys over the window") },
});

insight.handle(orgDoraRoute, async function orgDoraHandler(c) {
  return c.json(await dora(c, null, c.req.valid("query")), 200);
});

const getRepositoriesRoute = insight.get("/projects/{projectId}/repositories", {
  summary: "Repositories attributed to a project",
  request: { params },
  responses: { 200: jsonContent(projectRepositoriesSchema, "The project's repositories") },
});

insight.answer(getRepositoriesRoute, function getRepositoriesHandler({ db, orgId, param }) {
  return listProjectRepositories(db, orgId, param.projectId);
});

const putRepositoriesRoute = insight.put("/projects/{projectId}/repositories", {
  summary: "Replace the repositories attributed to a project",
  permission: "projects:write",
  errors: [409],
  request: { params, body: jsonBody(projectRepositoriesSchema) },
  responses: { 200: jsonContent(projectRepositoriesSchema, "The project's repositories") },
});

insight.answer(
  putRepositoriesRoute,
  function putRepositoriesHandler({ services, orgId, audit, param, json }) {
    const { db, clock } = services;
    return setProjectRepositories(db, orgId, audit, param.projectId, json.repositories, clock());
  },
);

const roiRoute = insight.get("/projects/{projectId}/insights/roi", {
  summary: "ROI of a project, with the assumptions behind each figure",
  request: { params, query: insightWindowQuerySchema },
  responses: { 200: jsonContent(roiReportSchema, "The ROI figures over the window") },
});

insight.answer(roiRoute, function roiHandler({ services, orgId, param, query }) {
  const { db, cache, clock } = services;
  return roiReport(db, cache, orgId, param.projectId, resolveWindow(query, clock()));
});

orgSettingsRoutes(insight, "/insights/assumptions", roiAssumptionsStateSchema, {
  get: { summary: "The organisation's ROI assumptions", answer: "The assumptions in use" },
  put: {
    summary: "Set the organisation's ROI assumptions",
    permission: "org:manage",
    body: roiAssumptionsSchema,
    answer: "The assumptions in use",
  },
  read: getAssumptions,
  write: (db, orgId, audit, input, { clock }) => setAssumptions(db, orgId, audit, input, clock()),
});

export const registerInsightRoutes = (app: Router) => insight.register(app);
