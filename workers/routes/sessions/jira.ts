import {
  jiraIssueRefSchema,
  jiraSettingsBody,
  jiraSettingsSchema,
} from "../../../shared/contract/sessions.ts";
import { checkJira, configureJira, getJiraSettings, removeJira } from "../../../shared/jira/settings.ts";
import { exportFindingToJira } from "../../../shared/sessions/jira-export.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { projectIntegrationRoutes } from "../project-integrations.ts";
import { sessionLinks } from "./links.ts";
import { findingParams } from "./params.ts";

const sessions = routeGroup({ tags: ["Integrations"], permission: "integrations:manage" });

projectIntegrationRoutes(sessions, "jira", jiraSettingsSchema, {
  put: {
    summary: "Configure Jira Cloud for a project (the API token is stored encrypted)",
    body: jiraSettingsBody,
    answer: "The settings, token masked",
  },
  get: { summary: "Jira Cloud settings of a project (token masked)", answer: "The settings, token masked" },
  delete: { summary: "Remove a project's Jira settings (findings can no longer be exported)" },
  test: {
    summary: "Test the stored Jira settings: sign in and look up the project (nothing is created)",
    answer: "What Jira answered",
  },
  save: (s, orgId, audit, projectId, input) =>
    configureJira(s.db, s.config.encryptionKey, orgId, audit, projectId, input),
  read: (s, orgId, projectId) => getJiraSettings(s.db, s.config.encryptionKey, orgId, projectId),
  remove: (s, orgId, audit, projectId) => removeJira(s.db, orgId, audit, projectId),
  check: (s, orgId, projectId) =>
    checkJira(s.db, s.config.encryptionKey, orgId, projectId, { baseUrl: s.config.jiraApiUrl }),
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
