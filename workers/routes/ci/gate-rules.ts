import { getGateRules, saveGateRules } from "../../../shared/ci/gate-rules.ts";
import { gateRulesSchema, putGateRulesSchema } from "../../../shared/contract/ci.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";

const params = idParam("projectId", "prj");
const ci = routeGroup({ tags: ["CI"] });

const getGateRulesRoute = ci.get("/projects/{projectId}/gate-rules", {
  summary: "The project's quality-gate rules and quarantine settings",
  permission: "projects:read",
  request: { params },
  responses: { 200: jsonContent(gateRulesSchema, "Rules (defaults when never set: updatedAt null)") },
});

ci.handle(getGateRulesRoute, async function getGateRulesHandler(c) {
  return c.json(await getGateRules(c.get("services").db, orgIdOf(c), c.req.valid("param").projectId), 200);
});

const putGateRulesRoute = ci.put("/projects/{projectId}/gate-rules", {
  summary: "Set the project's quality-gate rules and quarantine settings",
  permission: "projects:write",
  request: { params, body: jsonBody(putGateRulesSchema) },
  responses: { 200: jsonContent(gateRulesSchema, "The rules now in force") },
});

ci.handle(putGateRulesRoute, async function putGateRulesHandler(c) {
  const { projectId } = c.req.valid("param");
  const { db } = c.get("services");
  return c.json(await saveGateRules(db, orgIdOf(c), auditContext(c), projectId, c.req.valid("json")), 200);
});

export const registerGateRuleRoutes = (app: Router) => ci.register(app);
