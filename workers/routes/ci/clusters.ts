import { getClusterDetail, listClusters } from "../../../shared/ci/clusters.ts";
import { clusterDetailSchema, clusterSchema } from "../../../shared/contract/ci.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const ci = routeGroup({ tags: ["CI"], permission: "runs:read" });

const listClustersRoute = ci.get("/projects/{projectId}/clusters", {
  summary: "Failure clusters (same normalised message and top frames), newest first",
  request: { params: idParam("projectId", "prj"), query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(clusterSchema), "A page of clusters") },
});

ci.handle(listClustersRoute, async function listClustersHandler(c) {
  const { projectId } = c.req.valid("param");
  return c.json(await listClusters(c.get("services").db, orgIdOf(c), projectId, c.req.valid("query")), 200);
});

const getClusterRoute = ci.get("/clusters/{clusterId}", {
  summary: "A failure cluster with the tests it affects (most failures first, up to 50)",
  request: { params: idParam("clusterId", "cls") },
  responses: { 200: jsonContent(clusterDetailSchema, "The cluster") },
});

ci.handle(getClusterRoute, async function getClusterHandler(c) {
  return c.json(
    await getClusterDetail(c.get("services").db, orgIdOf(c), c.req.valid("param").clusterId),
    200,
  );
});

export const registerClusterRoutes = (app: Router) => ci.register(app);
