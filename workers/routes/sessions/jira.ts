import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { decryptSecret, encryptSecret } from "../../../shared/crypto/secret-box.ts";
import { jiraIntegrations, sessionFindings } from "../../../shared/db/schema/sessions.ts";
import { JIRA_HOST_PATTERN, JiraClient, JiraError } from "../../../shared/jira/client.ts";
import { findingToAdf } from "../../../shared/sessions/export.ts";
import { findFinding } from "../../../shared/sessions/repository.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { requireSession } from "./access.ts";
import { loadBundle } from "./export.ts";
import { sessionParams } from "./sessions.ts";

const tags = ["Integrations"];

/** Accepts `acme.atlassian.net` or `https://acme.atlassian.net/`; stores the bare host. */
const host = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .trim()
          .toLowerCase()
          .replace(/^https:\/\//, "")
          .replace(/\/+$/, "")
      : v,
  z.string().regex(JIRA_HOST_PATTERN, { error: "must be a Jira Cloud host such as acme.atlassian.net" }),
);

const jiraSettingsBody = z.strictObject({
  host,
  email: z.email().max(254),
  apiToken: z.string().trim().min(8).max(2048),
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, { error: "must be a Jira project key such as QA" }),
  issueType: z.string().trim().min(1).max(64).optional(),
});

const jiraSettingsSchema = z
  .object({
    projectId: z.string(),
    host: z.string(),
    email: z.string(),
    apiToken: z.string().openapi({ description: "Masked: only the last 4 characters are shown" }),
    projectKey: z.string(),
    issueType: z.string(),
    updatedAt: z.number().int(),
  })
  .openapi("JiraSettings");

const exportResultSchema = z.object({ issueKey: z.string(), url: z.string() }).openapi("JiraIssueRef");

const projectParams = idParam("projectId", "prj");
const findingParams = sessionParams.extend(idParam("findingId", "fnd").shape);

/** The sealed token is bound to its project, so it cannot be copied to another project's row. */
const sealContext = (orgId: string, projectId: string) => `jira:${orgId}:${projectId}`;
const mask = (token: string) => `${"*".repeat(8)}${token.slice(-4)}`;

export function registerJiraRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "put",
      path: "/projects/{projectId}/integrations/jira",
      tags,
      summary: "Configure Jira Cloud for a project (the API token is stored encrypted)",
      permission: "integrations:manage",
      request: { params: projectParams, body: jsonBody(jiraSettingsBody) },
      responses: { 200: jsonContent(jiraSettingsSchema, "The settings, token masked") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db, config } = c.get("services");
      const { projectId } = c.req.valid("param");
      const body = c.req.valid("json");
      await requireProject(db, orgId, projectId);
      const now = Date.now();
      const row = {
        orgId,
        projectId,
        host: body.host,
        email: body.email,
        apiTokenSealed: await encryptSecret(
          config.encryptionKey,
          body.apiToken,
          sealContext(orgId, projectId),
        ),
        projectKey: body.projectKey,
        issueType: body.issueType ?? "Bug",
        createdAt: now,
        updatedAt: now,
      };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "integration.jira.configure",
          targetType: "project",
          targetId: projectId,
          changes: { host: row.host, email: row.email, projectKey: row.projectKey, issueType: row.issueType },
        },
        () => [
          db
            .insert(jiraIntegrations)
            .values(row)
            .onConflictDoUpdate({
              target: jiraIntegrations.projectId,
              set: {
                host: row.host,
                email: row.email,
                apiTokenSealed: row.apiTokenSealed,
                projectKey: row.projectKey,
                issueType: row.issueType,
                updatedAt: now,
              },
              setWhere: eq(jiraIntegrations.orgId, orgId),
            }),
        ],
      );
      return c.json(toSettings(row, body.apiToken), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}/integrations/jira",
      tags,
      summary: "Jira Cloud settings of a project (token masked)",
      permission: "integrations:manage",
      request: { params: projectParams },
      responses: { 200: jsonContent(jiraSettingsSchema, "The settings, token masked") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db, config } = c.get("services");
      const { projectId } = c.req.valid("param");
      await requireProject(db, orgId, projectId);
      const row = await findJiraSettings(db, orgId, projectId);
      if (!row) throw notFound("Jira integration");
      const token = await decryptSecret(
        config.encryptionKey,
        row.apiTokenSealed,
        sealContext(orgId, projectId),
      );
      return c.json(toSettings(row, token), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/sessions/{sessionId}/findings/{findingId}/jira",
      errors: [422, 503],
      tags,
      summary: "Create a Jira issue from a finding (idempotent: an exported finding returns its issue)",
      permission: "sessions:write",
      request: { params: findingParams },
      responses: {
        200: jsonContent(exportResultSchema, "Already exported"),
        201: jsonContent(exportResultSchema, "The created issue"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db, config } = c.get("services");
      const { sessionId, findingId } = c.req.valid("param");
      const session = await requireSession(c, sessionId);
      const finding = await findFinding(db, orgId, sessionId, findingId);
      if (!finding) throw notFound("Finding");
      if (finding.jiraIssueKey && finding.jiraUrl) {
        return c.json({ issueKey: finding.jiraIssueKey, url: finding.jiraUrl }, 200);
      }
      const settings = await findJiraSettings(db, orgId, session.projectId);
      if (!settings) throw new ApiError("unprocessable", "Jira is not configured for this project");
      const apiToken = await decryptSecret(
        config.encryptionKey,
        settings.apiTokenSealed,
        sealContext(orgId, session.projectId),
      );
      const bundle = await loadBundle(c, session);
      const client = new JiraClient({ host: settings.host, email: settings.email, apiToken });
      let issue: Awaited<ReturnType<JiraClient["createIssue"]>>;
      try {
        issue = await client.createIssue({
          projectKey: settings.projectKey,
          issueType: settings.issueType,
          summary: `[${finding.severity}] ${finding.title}`,
          description: findingToAdf(bundle, finding),
          labels: ["shifty", `severity-${finding.severity}`],
        });
      } catch (error) {
        if (!(error instanceof JiraError)) throw error;
        if (error.status === 0 || error.status >= 500) {
          throw new ApiError("unavailable", `Jira is unavailable: ${error.message}`);
        }
        throw new ApiError("unprocessable", `Jira refused the issue: ${error.message}`);
      }
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "session.finding.export",
          targetType: "finding",
          targetId: findingId,
          changes: { issueKey: issue.key },
        },
        () => [
          db
            .update(sessionFindings)
            .set({ jiraIssueKey: issue.key, jiraUrl: issue.url })
            .where(and(eq(sessionFindings.orgId, orgId), eq(sessionFindings.id, findingId))),
        ],
      );
      return c.json({ issueKey: issue.key, url: issue.url }, 201);
    },
  );
}

async function findJiraSettings(
  db: import("../../../shared/db/client.ts").Db,
  orgId: string,
  projectId: string,
) {
  const rows = await db
    .select()
    .from(jiraIntegrations)
    .where(and(eq(jiraIntegrations.orgId, orgId), eq(jiraIntegrations.projectId, projectId)))
    .limit(1);
  return rows[0] ?? null;
}

function toSettings(row: typeof jiraIntegrations.$inferSelect, token: string) {
  return {
    projectId: row.projectId,
    host: row.host,
    email: row.email,
    apiToken: mask(token),
    projectKey: row.projectKey,
    issueType: row.issueType,
    updatedAt: row.updatedAt,
  };
}
