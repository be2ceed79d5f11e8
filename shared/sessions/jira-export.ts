import { and, eq } from "drizzle-orm";
import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import type { JiraIssueRef } from "../contract/sessions.ts";
import type { Db } from "../db/client.ts";
import { sessionFindings } from "../db/schema/sessions.ts";
import { ApiError, notFound } from "../errors.ts";
import { type CreatedIssue, JiraClient, JiraError } from "../jira/client.ts";
import { findJiraIntegration, type JiraReach, jiraCredentials } from "../jira/settings.ts";
import { loadBundle } from "./bundle.ts";
import { findingToAdf, type SessionLinks } from "./export.ts";
import { findFinding } from "./repository.ts";
import { requireSession } from "./service.ts";

export type JiraExportSettings = { encryptionKey: string; links: SessionLinks; reach?: JiraReach };

/**
 * Creates a Jira issue from a finding, once: a finding already exported returns its issue
 * (`created: false`). Jira's refusals are 422; Jira being unreachable or failing is 503.
 */
export async function exportFindingToJira(
  db: Db,
  settings: JiraExportSettings,
  orgId: string,
  audit: AuditContext,
  sessionId: string,
  findingId: string,
): Promise<{ issue: JiraIssueRef; created: boolean }> {
  const session = await requireSession(db, orgId, sessionId);
  const finding = await findFinding(db, orgId, sessionId, findingId);
  if (!finding) throw notFound("Finding");
  if (finding.jiraIssueKey && finding.jiraUrl) {
    return { issue: { issueKey: finding.jiraIssueKey, url: finding.jiraUrl }, created: false };
  }
  const integration = await findJiraIntegration(db, orgId, session.projectId);
  if (!integration) throw new ApiError("unprocessable", "Jira is not configured for this project");
  const credentials = await jiraCredentials(settings.encryptionKey, integration);
  const bundle = await loadBundle(db, session, settings.links);
  const issue = await createIssue(
    new JiraClient(credentials, settings.reach?.fetch, settings.reach?.baseUrl),
    {
      projectKey: integration.projectKey,
      issueType: integration.issueType,
      summary: `[${finding.severity}] ${finding.title}`,
      description: findingToAdf(bundle, finding),
      labels: ["shifty", `severity-${finding.severity}`],
    },
  );
  await auditedBatch(
    db,
    orgId,
    audit,
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
  return { issue: { issueKey: issue.key, url: issue.url }, created: true };
}

/** Jira's answer as an API error: unreachable or 5xx is "unavailable", any other refusal "unprocessable". */
async function createIssue(
  client: JiraClient,
  input: Parameters<JiraClient["createIssue"]>[0],
): Promise<CreatedIssue> {
  try {
    return await client.createIssue(input);
  } catch (error) {
    if (!(error instanceof JiraError)) throw error;
    if (error.status === 0 || error.status >= 500) {
      throw new ApiError("unavailable", `Jira is unavailable: ${error.message}`);
    }
    throw new ApiError("unprocessable", `Jira refused the issue: ${error.message}`);
  }
}
