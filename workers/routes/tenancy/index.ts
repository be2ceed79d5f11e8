import type { Router } from "../../openapi.ts";
import { registerAccountErasureRoutes } from "./account-erasure.ts";
import { registerAccountLinkRoutes } from "./account-links.ts";
import { registerApiKeyRoutes } from "./api-keys.ts";
import { registerAuditRoutes } from "./audit.ts";
import { registerAuthRoutes } from "./auth.ts";
import { registerInviteRoutes } from "./invites.ts";
import { registerMemberRoutes } from "./members.ts";
import { registerMfaRoutes } from "./mfa.ts";
import { registerOrgExportRoutes } from "./org-exports.ts";
import { registerOrgLifecycleRoutes } from "./org-lifecycle.ts";
import { registerOrgRoutes } from "./orgs.ts";
import { registerProjectRoutes } from "./projects.ts";
import { registerRoleRoutes } from "./roles.ts";
import { registerSignInRoutes } from "./sign-ins.ts";
import { registerSsoRoutes } from "./sso.ts";

export function registerTenancyRoutes(v1: Router) {
  registerAuthRoutes(v1);
  registerAccountLinkRoutes(v1);
  registerAccountErasureRoutes(v1);
  registerSignInRoutes(v1);
  registerMfaRoutes(v1);
  registerSsoRoutes(v1);
  registerOrgRoutes(v1);
  registerOrgLifecycleRoutes(v1);
  registerOrgExportRoutes(v1);
  registerMemberRoutes(v1);
  registerRoleRoutes(v1);
  registerInviteRoutes(v1);
  registerProjectRoutes(v1);
  registerApiKeyRoutes(v1);
  registerAuditRoutes(v1);
}
