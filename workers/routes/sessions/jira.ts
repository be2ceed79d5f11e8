import type { RouteHandler } from "@hono/zod-openapi";
import { connectionCheckSchema } from "../../../shared/contract/common.ts";
import {
  jiraIssueRefSchema,
  jiraSettingsBody,
  jiraSettingsSchema,
} from "../../../shared/contract/sessions.ts";
import { checkJira, configureJira, getJiraSettings, removeJira } from "../../../shared/jira/settings.ts";
import { exportFindingToJira } from "../../../shared/sessions/jira-export.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { defineRoute } from "../../route.ts";
import { sessionLinks } from "./links.ts";
import { findingParams, projectParams } from "./params.ts";

const tags = ["Integrations"];

const configureJiraRoute = defineRoute({
  method: "put",
  path: "/projects/{projectId}/integrations/jira",
  tags,
  summary: "Configure Jira Cloud for a project (the API token is stored encrypted)",
  permission: "integrations:manage",
  request: { params: projectParams, body: jsonBody(jiraSettingsBody) },
  responses: { 200: jsonContent(jiraSettingsSchema, "The settings, token masked") },
});

const configureJiraHandler: RouteHandler<typeof configureJiraRoute, HonoEnv> = async (c) => {
  const { db, config } = c.get("services");
  const settings = await configureJira(
    db,
    config.encryptionKey,
    orgIdOf(c),
    auditContext(c),
    c.req.valid("param").projectId,
    c.req.valid("json"),
  );
  return c.json(settings, 200);
};

const getJiraRoute = defineRoute({
  method: "get",
  path: "/projects/{projectId}/integrations/jira",
  tags,
  summary: "Jira Cloud settings of a project (token masked)",
  permission: "integrations:manage",
  request: { params: projectParams },
  responses: { 200: jsonContent(jiraSettingsSchema, "The settings, token masked") },
});

const getJiraHandler: RouteHandler<typeof getJiraRoute, HonoEnv> = async (c) => {
  const { db, config } = c.get("services");
  const settings = await getJiraSettings(
    db,
    config.encryptionKey,
    orgIdOf(c),
    c.req.valid("param").projectId,
  );
  return c.json(settings, 200);
};

const deleteJiraRoute = defineRoute({
  method: "delete",
  path: "/projects/{projectId}/integrations/jira",
  tags,
  summary: "Remove a project's Jira settings (findings can no longer be exported)",
  permission: "integrations:manage",
  request: { params: projectParams },
  responses: { 204: { description: "Removed" } },
});

const deleteJiraHandler: RouteHandler<typeof deleteJiraRoute, HonoEnv> = async (c) => {
  await removeJira(c.get("services").db, orgIdOf(c), auditContext(c), c.req.valid("param").projectId);
  return c.body(null, 204);
};

const checkJiraRoute = defineRoute({
  method: "post",
  path: "/projects/{projectId}/integrations/jira/test",
  tags,
  summary: "Test the stored Jira settings: sign in and look up the project (nothing is created)",
  permission: "integrations:manage",
  request: { params: projectParams },
  responses: { 200: jsonContent(connectionCheckSchema, "What Jira answered") },
});

const checkJiraHandler: RouteHandler<typeof checkJiraRoute, HonoEnv> = async (c) => {
  const { db, config } = c.get("services");
  const check = await checkJira(db, config.encryptionKey, orgIdOf(c), c.req.valid("param").projectId, {
    baseUrl: config.jiraApiUrl,
  });
  return c.json(check, 200);
};

const exportFindingRoute = defineRoute({
  method: "post",
  path: "/sessions/{sessionId}/findings/{findingId}/jira",
  errors: [422, 503],
  tags,
  summary: "Create a Jira issue from a finding (idempotent: an exported finding returns its issue)",
  permission: "sessions:write",
  request: { params: findingParams },
  responses: {
    200: jsonContent(jiraIssueRefSchema, "Already exported"),
    201: jsonContent(jiraIssueRefSchema, "The created issue"),
  },
});

const exportFindingHandler: RouteHandler<typeof exportFindingRoute, HonoEnv> = async (c) => {
  const { db, config } = c.get("services");
  const { sessionId, findingId } = c.req.valid("param");
  const { issue, created } = await exportFindingToJira(
    db,
    {
      encryptionKey: config.encryptionKey,
      links: sessionLinks(config.publicUrl),
      reach: { baseUrl: config.jiraApiUrl },
    },
    orgIdOf(c),
    auditContext(c),
    sessionId,
    findingId,
  );
  return created ? c.json(issue, 201) : c.json(issue, 200);
};

export function registerJiraRoutes(app: Router) {
  app.openapi(configureJiraRoute, configureJiraHandler);
  app.openapi(getJiraRoute, getJiraHandler);
  app.openapi(deleteJiraRoute, deleteJiraHandler);
  app.openapi(checkJiraRoute, checkJiraHandler);
  app.openapi(exportFindingRoute, exportFindingHandler);
}
