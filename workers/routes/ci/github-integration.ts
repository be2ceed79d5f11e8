import {
  checkGithubIntegration,
  getGithubIntegration,
  removeGithubIntegration,
  saveGithubIntegration,
} from "../../../shared/ci/github-integration.ts";
import { githubIntegrationSchema, putGithubIntegrationSchema } from "../../../shared/contract/ci.ts";
import { connectionCheckSchema } from "../../../shared/contract/common.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";

const params = idParam("projectId", "prj");
const ci = routeGroup({ tags: ["CI"], permission: "integrations:manage" });
const path = "/projects/{projectId}/integrations/github";

const putGithubRoute = ci.put(path, {
  summary: "Report quality gates to a GitHub repository (check run, or commit status for non-App tokens)",
  request: { params, body: jsonBody(putGithubIntegrationSchema) },
  responses: { 200: jsonContent(githubIntegrationSchema, "The integration (token masked)") },
});

ci.handle(putGithubRoute, async function putGithubHandler(c) {
  const { projectId } = c.req.valid("param");
  const { db, config } = c.get("services");
  const body = c.req.valid("json");
  const integration = await saveGithubIntegration(
    db,
    config.encryptionKey,
    orgIdOf(c),
    auditContext(c),
    projectId,
    body,
  );
  return c.json(integration, 200);
});

const getGithubRoute = ci.get(path, {
  summary: "The project's GitHub integration (token masked)",
  request: { params },
  responses: { 200: jsonContent(githubIntegrationSchema, "The integration") },
});

ci.handle(getGithubRoute, async function getGithubHandler(c) {
  return c.json(
    await getGithubIntegration(c.get("services").db, orgIdOf(c), c.req.valid("param").projectId),
    200,
  );
});

const deleteGithubRoute = ci.delete(path, {
  summary: "Stop reporting to GitHub",
  request: { params },
  responses: { 204: { description: "Removed" } },
});

ci.handle(deleteGithubRoute, async function deleteGithubHandler(c) {
  const { projectId } = c.req.valid("param");
  await removeGithubIntegration(c.get("services").db, orgIdOf(c), auditContext(c), projectId);
  return c.body(null, 204);
});

const checkGithubRoute = ci.post(`${path}/test`, {
  summary: "Test the stored GitHub settings: read the repository with the token (nothing is written)",
  request: { params },
  responses: { 200: jsonContent(connectionCheckSchema, "What GitHub answered") },
});

ci.handle(checkGithubRoute, async function checkGithubHandler(c) {
  const { db, config } = c.get("services");
  const check = await checkGithubIntegration(
    db,
    config.encryptionKey,
    orgIdOf(c),
    c.req.valid("param").projectId,
    {
      apiUrl: config.githubApiUrl,
    },
  );
  return c.json(check, 200);
});

export const registerGithubIntegrationRoutes = (app: Router) => ci.register(app);
