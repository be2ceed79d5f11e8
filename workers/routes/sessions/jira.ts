import { connectionCheckSchema } from "../../../shared/contract/common.ts";
import {
  jiraIssueRefSchema,
  jiraSettingsBody,
  jiraSettingsSchema,
} from "../../../shared/contract/sessions.ts";
import { checkJira, configureJira, getJiraSettings, removeJira } from "../../../shared/jira/settings.ts";
import { exportFindingToJira } from "../../../shared/sessions/jira-export.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { sessionLinks } from "./links.ts";
import { findingParams, projectParams } from "./params.ts";

const sessions = routeGroup({ tags: ["Integrations"], permission: "integrations:manage" });

const configureJiraRoute = sessions.put("/projects/{projectId}/integrations/jira", {
  summary: "Configure Jira Cloud for a project (the API token is stored encrypted)",
  request: { params: projectParams, body: jsonBody(jiraSettingsBody) },
  responses: { 200: jsonContent(jiraSettingsSchema, "The settings, token masked") },
});

sessions.handle(configureJiraRoute, async function configureJiraHandler(c) {
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
});

const getJiraRoute = sessions.get("/projects/{projectId}/integrations/jira", {
  summary: "Jira Cloud settings of a project (token masked)",
  request: { params: projectParams },
  responses: { 200: jsonContent(jiraSettingsSchema, "The settings, token masked") },
});

sessions.handle(getJiraRoute, async function getJiraHandler(c) {
  const { db, config } = c.get("services");
  const settings = await getJiraSettings(
    db,
    config.encryptionKey,
    orgIdOf(c),
    c.req.valid("param").projectId,
  );
  return c.json(settings, 200);
});

const deleteJiraRoute = sessions.delete("/projects/{projectId}/integrations/jira", {
  summary: "Remove a project's Jira settings (findings can no longer be exported)",
  request: { params: projectParams },
  responses: { 204: { description: "Removed" } },
});

sessions.handle(deleteJiraRoute, async function deleteJiraHandler(c) {
  await removeJira(c.get("services").db, orgIdOf(c), auditContext(c), c.req.valid("param").projectId);
  return c.body(null, 204);
});

const checkJiraRoute = sessions.post("/projects/{projectId}/integrations/jira/test", {
  summary: "Test the stored Jira settings: sign in and look up the project (nothing is created)",
  request: { params: projectParams },
  responses: { 200: jsonContent(connectionCheckSchema, "What Jira answered") },
});

sessions.handle(checkJiraRoute, async function checkJiraHandler(c) {
  const { db, config } = c.get("services");
  const check = await checkJira(db, config.encryptionKey, orgIdOf(c), c.req.valid("param").projectId, {
    baseUrl: config.jiraApiUrl,
  });
  return c.json(check, 200);
});

const exportFindingRoute = sessions.post("/sessions/{sessionId}/findings/{findingId}/jira", {
  errors: [422, 503],
  summary: "Create a Jira issue from a finding (idempotent: an exported finding returns its issue)",
  permission: "sessions:write",
  request: { params: findingParams },
  responses: {
    200: jsonContent(jiraIssueRefSchema, "Already exported"),
    201: jsonContent(jiraIssueRefSchema, "The created issue"),
  },
});

sessions.handle(exportFindingRoute, async function exportFindingHandler(c) {
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
});

export const registerJiraRoutes = (app: Router) => sessions.register(app);
