import { getClusterDetail, listClusters } from "../../../shared/ci/clusters.ts";
import { clusterDetailSchema, clusterSchema } from "../../../shared/contract/ci.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const ci = routeGroup({ tags: ["CI"], permission: "runs:read" });

const listClustersRoute = ci.get("/projects/{projectId}/clusters", {
  summary: "Failure clusters (same normalised message and top frames), newest first",
  request: { params: idParam("projectId", "prj"), query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(clusterSchema), "A page of clusters") },
});

ci.answer(listClustersRoute, function listClustersHandler({ db, orgId, param, query }) {
  return listClusters(db, orgId, param.projectId, query);
});

const getClusterRoute = ci.get("/clusters/{clusterId}", {
  summary: "A failure cluster with the tests it affects (most failures first, up to 50)",
  request: { params: idParam("clusterId", "cls") },
  responses: { 200: jsonContent(clusterDetailSchema, "The cluster") },
});

ci.answer(getClusterRoute, function getClusterHandler({ db, orgId, param }) {
  return getClusterDetail(db, orgId, param.clusterId);
});

export const registerClusterRoutes = (app: Router) => ci.register(app);
