import { getGateRules, saveGateRules } from "../../../shared/ci/gate-rules.ts";
import { gateRulesSchema, putGateRulesSchema } from "../../../shared/contract/ci.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const params = idParam("projectId", "prj");
const ci = routeGroup({ tags: ["CI"] });

const getGateRulesRoute = ci.get("/projects/{projectId}/gate-rules", {
  summary: "The project's quality-gate rules and quarantine settings",
  permission: "projects:read",
  request: { params },
  responses: { 200: jsonContent(gateRulesSchema, "Rules (defaults when never set: updatedAt null)") },
});

ci.answer(getGateRulesRoute, function getGateRulesHandler({ db, orgId, param }) {
  return getGateRules(db, orgId, param.projectId);
});

const putGateRulesRoute = ci.put("/projects/{projectId}/gate-rules", {
  summary: "Set the project's quality-gate rules and quarantine settings",
  permission: "projects:write",
  request: { params, body: jsonBody(putGateRulesSchema) },
  responses: { 200: jsonContent(gateRulesSchema, "The rules now in force") },
});

ci.answer(putGateRulesRoute, function putGateRulesHandler({ db, orgId, audit, param, json }) {
  return saveGateRules(db, orgId, audit, param.projectId, json);
});

export const registerGateRuleRoutes = (app: Router) => ci.register(app);
