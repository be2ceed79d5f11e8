import { mcpPolicySchema, putMcpPolicySchema } from "../../../shared/contract/mcp.ts";
import { getMcpPolicy, putMcpPolicy } from "../../../shared/mcp/policy.ts";
import type { Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { orgSettingsRoutes } from "../org-settings.ts";

const mcp = routeGroup({ tags: ["MCP"] });

orgSettingsRoutes(mcp, "/mcp/policy", mcpPolicySchema, {
  get: {
    summary: "The organisation's MCP tool policy (allow/deny lists, calls per session)",
    permission: "org:read",
    answer: "The policy",
  },
  put: {
    summary: "Replace the organisation's MCP tool policy",
    description:
      "A denied tool is refused even when allowed; `allowedTools: null` allows every tool not denied.",
    permission: "org:manage",
    body: putMcpPolicySchema,
    answer: "The stored policy",
  },
  read: getMcpPolicy,
  write: (db, orgId, audit, input) => putMcpPolicy(db, orgId, audit, input),
});

/** /v1/mcp/policy; the protocol endpoint itself is /mcp (workers/routes/mcp/server.ts). */
export const registerMcpPolicyRoutes = (app: Router) => mcp.register(app);
