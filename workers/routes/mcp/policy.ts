import { mcpPolicySchema, putMcpPolicySchema } from "../../../shared/contract/mcp.ts";
import { getMcpPolicy, putMcpPolicy } from "../../../shared/mcp/policy.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";

const mcp = routeGroup({ tags: ["MCP"] });

const getPolicyRoute = mcp.get("/mcp/policy", {
  summary: "The organisation's MCP tool policy (allow/deny lists, calls per session)",
  permission: "org:read",
  responses: { 200: jsonContent(mcpPolicySchema, "The policy") },
});

mcp.handle(getPolicyRoute, async function getPolicyHandler(c) {
  return c.json(await getMcpPolicy(c.get("services").db, orgIdOf(c)), 200);
});

const putPolicyRoute = mcp.put("/mcp/policy", {
  summary: "Replace the organisation's MCP tool policy",
  description:
    "A denied tool is refused even when allowed; `allowedTools: null` allows every tool not denied.",
  permission: "org:manage",
  request: { body: jsonBody(putMcpPolicySchema) },
  responses: { 200: jsonContent(mcpPolicySchema, "The stored policy") },
});

mcp.handle(putPolicyRoute, async function putPolicyHandler(c) {
  return c.json(
    await putMcpPolicy(c.get("services").db, orgIdOf(c), auditContext(c), c.req.valid("json")),
    200,
  );
});

/** /v1/mcp/policy; the protocol endpoint itself is /mcp (workers/routes/mcp/server.ts). */
export const registerMcpPolicyRoutes = (app: Router) => mcp.register(app);
