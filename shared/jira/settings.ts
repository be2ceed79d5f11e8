import { eq } from "drizzle-orm";
import { type AuditContext, auditedDeleteProjectRow, auditedUpsert } from "../audit/repository.ts";
import type { ConnectionCheck } from "../contract/common.ts";
import type { JiraSettings, JiraSettingsInput } from "../contract/sessions.ts";
import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { findProjectRow, requireInOrg } from "../db/org-scoped.ts";
import { jiraIntegrations } from "../db/schema/sessions.ts";
import { projects } from "../db/schema/tenancy.ts";
import { notFound } from "../errors.ts";
import { JiraClient, type JiraCredentials, JiraError } from "./client.ts";

/** A project's Jira Cloud integration: where issues go and the (sealed) credentials to create them. */
export type JiraIntegrationRow = typeof jiraIntegrations.$inferSelect;

/** The sealed token is bound to its project, so it cannot be copied to another project's row. */
const sealContext = (orgId: string, projectId: string) => `jira:${orgId}:${projectId}`;
const mask = (token: string) => `${"*".repeat(8)}${token.slice(-4)}`;

function toSettings(row: JiraIntegrationRow, token: string): JiraSettings {
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

export function findJiraIntegration(db: Db, orgId: string, projectId: string) {
  return findProjectRow(db, jiraIntegrations, orgId, projectId);
}

/** The plain credentials of an integration (the token unsealed). */
export async function jiraCredentials(
  encryptionKey: string,
  row: JiraIntegrationRow,
): Promise<JiraCredentials> {
  const apiToken = await decryptSecret(
    encryptionKey,
    row.apiTokenSealed,
    sealContext(row.orgId, row.projectId),
  );
  return { host: row.host, email: row.email, apiToken };
}

/** Creates or replaces a project's Jira settings; the API token is stored encrypted. */
export async function configureJira(
  db: Db,
  encryptionKey: string,
  orgId: string,
  audit: AuditContext,
  projectId: string,
  input: JiraSettingsInput,
  now = Date.now(),
): Promise<JiraSettings> {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const row: JiraIntegrationRow = {
    orgId,
    projectId,
    host: input.host,
    email: input.email,
    apiTokenSealed: await encryptSecret(encryptionKey, input.apiToken, sealContext(orgId, projectId)),
    projectKey: input.projectKey,
    issueType: input.issueType ?? "Bug",
    createdAt: now,
    updatedAt: now,
  };
  const { host, email, apiTokenSealed, projectKey, issueType } = row;
  await auditedUpsert(
    db,
    orgId,
    audit,
    jiraIntegrations,
    row,
    {
      target: jiraIntegrations.projectId,
      set: { host, email, apiTokenSealed, projectKey, issueType, updatedAt: now },
      setWhere: eq(jiraIntegrations.orgId, orgId),
    },
    {
      action: "integration.jira.configure",
      targetType: "project",
      targetId: projectId,
      changes: { host, email, projectKey, issueType },
    },
  );
  return toSettings(row, input.apiToken);
}

/** A project's Jira settings with the token masked, or a 404. */
export async function getJiraSettings(
  db: Db,
  encryptionKey: string,
  orgId: string,
  projectId: string,
): Promise<JiraSettings> {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const row = await findJiraIntegration(db, orgId, projectId);
  if (!row) throw notFound("Jira integration");
  const { apiToken } = await jiraCredentials(encryptionKey, row);
  return toSettings(row, apiToken);
}

async function requireJiraIntegration(db: Db, orgId: string, projectId: string) {
  await requireInOrg(db, projects, orgId, projectId, "Project");
  const row = await findJiraIntegration(db, orgId, projectId);
  if (!row) throw notFound("Jira integration");
  return row;
}

/** Removes a project's Jira settings (and its sealed token); exporting findings stops until reconfigured. */
export async function removeJira(db: Db, orgId: string, audit: AuditContext, projectId: string) {
  const row = await requireJiraIntegration(db, orgId, projectId);
  await auditedDeleteProjectRow(db, orgId, audit, jiraIntegrations, projectId, {
    action: "integration.jira.remove",
    changes: { host: row.host, projectKey: row.projectKey },
  });
}

/** Where a Jira call goes: `baseUrl` replaces `https://{host}` for a local fake (workers/env.ts). */
export type JiraReach = { fetch?: typeof fetch; baseUrl?: string };

/**
 * Signs in to Jira with the stored credentials and looks up the configured project, writing nothing;
 * Jira's refusal (or silence) is the answer's `ok: false`, not an error.
 */
export async function checkJira(
  db: Db,
  encryptionKey: string,
  orgId: string,
  projectId: string,
  reach: JiraReach = {},
): Promise<ConnectionCheck> {
  const row = await requireJiraIntegration(db, orgId, projectId);
  const client = new JiraClient(await jiraCredentials(encryptionKey, row), reach.fetch, reach.baseUrl);
  try {
    const access = await client.checkAccess(row.projectKey);
    const who = access.user ? ` as ${access.user}` : "";
    return {
      ok: true,
      status: 200,
      message: `Signed in to ${row.host}${who}; project ${access.project.key} (${access.project.name}) found.`,
    };
  } catch (error) {
    if (!(error instanceof JiraError)) throw error;
    return { ok: false, status: error.status || null, message: error.message.slice(0, 500) };
  }
}
