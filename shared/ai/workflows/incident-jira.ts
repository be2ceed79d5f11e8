import { and, desc, eq, isNull, lte } from "drizzle-orm";
import { aiIncidentIssues } from "../../db/schema/ai.ts";
import { changeRecords, deploymentRecords, incidentRecords } from "../../db/schema/webhooks.ts";
import { bulletList, doc, heading, link, paragraph, strong, text } from "../../jira/adf.ts";
import { JiraClient } from "../../jira/client.ts";
import { findJiraIntegration, jiraCredentials } from "../../jira/settings.ts";
import { tryAiTask } from "../service.ts";
import { aiDepsOf, type WorkflowDeps } from "./deps.ts";
import { RUN_LEASE_MS, type RunResult, type WorkflowRun } from "./runs.ts";
import { subjectRecord } from "./subject.ts";

type Incident = typeof incidentRecords.$inferSelect;

/** The deployment most likely behind an incident: the project's last successful one before it opened. */
async function suspectedDeployment(deps: WorkflowDeps, run: WorkflowRun, incident: Incident) {
  const [deployment] = await deps.db
    .select()
    .from(deploymentRecords)
    .where(
      and(
        eq(deploymentRecords.orgId, run.orgId),
        run.projectId ? eq(deploymentRecords.projectId, run.projectId) : undefined,
        eq(deploymentRecords.state, "success"),
        lte(deploymentRecords.sourceUpdatedAt, incident.openedAt),
      ),
    )
    .orderBy(desc(deploymentRecords.sourceUpdatedAt))
    .limit(1);
  if (!deployment) return { deployment: null, commits: [] };
  const commits = await deps.db
    .select({ sha: changeRecords.commitSha, title: changeRecords.title, url: changeRecords.url })
    .from(changeRecords)
    .where(
      and(
        eq(changeRecords.orgId, run.orgId),
        eq(changeRecords.kind, "commit"),
        lte(changeRecords.sourceUpdatedAt, deployment.sourceUpdatedAt),
        deployment.repository ? eq(changeRecords.repository, deployment.repository) : undefined,
      ),
    )
    .orderBy(desc(changeRecords.sourceUpdatedAt))
    .limit(5);
  return { deployment, commits };
}

/** Announced whether or not Jira is set up; the key is the incident, so repeated alerts add nothing. */
async function announceOpened(deps: WorkflowDeps, run: WorkflowRun, incident: Incident) {
  await deps.emit?.({
    orgId: run.orgId,
    projectId: run.projectId,
    type: "incident.opened",
    key: `incident.opened:${run.subject}`,
    summary: `Incident opened (${incident.provider}): ${incident.title}`,
    data: {
      provider: incident.provider,
      externalId: incident.externalId,
      title: incident.title,
      severity: incident.severity,
      url: incident.url,
      openedAt: incident.openedAt,
    },
  });
}

type IssueClaim = typeof aiIncidentIssues.$inferSelect;

/** A resolved incident: a comment on the issue opened for it, if any. */
async function noteResolution(
  deps: WorkflowDeps,
  jira: JiraClient,
  incident: Incident,
  existing: IssueClaim | undefined,
): Promise<RunResult> {
  if (!existing?.issueKey) return { status: "skipped", outcome: "Resolved, but no issue was opened for it" };
  const resolvedAt = new Date(incident.resolvedAt ?? deps.now()).toISOString();
  await jira.addComment(
    existing.issueKey,
    doc(paragraph(text(`Resolved at ${resolvedAt} (${incident.provider}).`))),
  );
  return {
    status: "succeeded",
    outcome: `resolution noted on ${existing.issueKey}`,
    targetUrl: existing.issueUrl,
  };
}

/** The issue body (ADF): severity, link, suspected deployment and its commits, the AI note when set. */
function issueDescription(
  incident: Incident,
  deploymentLabel: string,
  commits: { sha: string | null; title: string | null }[],
  aiNote: string | undefined,
) {
  return doc(
    heading(3, incident.title),
    paragraph(
      strong("Severity: "),
      text(incident.severity ?? "unknown"),
      text(` · source: ${incident.provider}`),
    ),
    ...(incident.url ? [paragraph(link("Open the alert", incident.url))] : []),
    paragraph(strong("Suspected deployment: "), text(deploymentLabel)),
    ...(commits.length > 0
      ? [bulletList(commits.map((c) => [text(`${c.sha?.slice(0, 7) ?? "?"} ${c.title ?? ""}`.trim())]))]
      : []),
    ...(aiNote ? [paragraph(strong("AI triage: "), text(aiNote))] : []),
  );
}

/** Opens the Jira issue for a claimed incident and records its key on the claim. */
async function openIssue(
  deps: WorkflowDeps,
  run: WorkflowRun,
  incident: Incident,
  jira: JiraClient,
  integration: { projectKey: string; issueType: string },
): Promise<RunResult> {
  const { deployment, commits } = await suspectedDeployment(deps, run, incident);
  const deploymentLabel = deployment
    ? `${deployment.repository ?? ""} ${deployment.environment ?? ""} ${deployment.commitSha ?? deployment.externalId}`.trim()
    : "none found";
  const ai = await tryAiTask(aiDepsOf(deps), {
    orgId: run.orgId,
    workflow: "incident_jira",
    subject: run.subject,
    vars: {
      title: incident.title,
      deployment: deploymentLabel,
      commits: commits.map((c) => `${c.sha?.slice(0, 7)} ${c.title ?? ""}`).join("\n"),
    },
  });
  const issue = await jira.createIssue({
    projectKey: integration.projectKey,
    issueType: integration.issueType,
    summary: `[${incident.severity ?? "incident"}] ${incident.title}`,
    description: issueDescription(incident, deploymentLabel, commits, ai.answer?.text),
    labels: ["shifty", "incident"],
  });
  await deps.db
    .update(aiIncidentIssues)
    .set({ issueKey: issue.key, issueUrl: issue.url, updatedAt: deps.now() })
    .where(claimKey(run));
  return {
    status: "succeeded",
    outcome: `opened ${issue.key}${ai.note ? `; ${ai.note}` : ""}`,
    targetUrl: issue.url,
    tokens: ai.answer ? ai.answer.tokensIn + ai.answer.tokensOut : 0,
    costMicros: ai.answer?.costMicros ?? 0,
  };
}

const claimKey = (run: WorkflowRun) =>
  and(eq(aiIncidentIssues.orgId, run.orgId), eq(aiIncidentIssues.subject, run.subject));

/**
 * Sentry/Datadog alert → one Jira issue per incident (ADF body: severity, link, suspected deployment
 * and its commits, an AI note when set), a comment on it when the incident resolves. The claim row
 * is written before Jira is called, so a second alert for the same incident never opens a second
 * issue; a Jira failure removes the claim and the run is retried.
 */
export async function runIncidentJira(deps: WorkflowDeps, run: WorkflowRun): Promise<RunResult> {
  const incident = await subjectRecord(deps.db, incidentRecords, run);
  if (!incident) return { status: "skipped", outcome: "Incident record not found" };
  if (incident.status === "open") await announceOpened(deps, run, incident);
  if (!run.projectId)
    return { status: "skipped", outcome: "The source has no project (Jira settings are per project)" };
  const integration = await findJiraIntegration(deps.db, run.orgId, run.projectId);
  if (!integration) return { status: "skipped", outcome: "The project has no Jira integration" };
  const jira = new JiraClient(await jiraCredentials(deps.encryptionKey, integration), deps.fetch);
  const key = claimKey(run);
  const [existing] = await deps.db.select().from(aiIncidentIssues).where(key).limit(1);
  if (incident.status === "resolved") return noteResolution(deps, jira, incident, existing);
  const now = deps.now();
  // A claim whose run died before Jira answered (no key after the lease) is taken over, not honoured.
  if (existing && !existing.issueKey && existing.updatedAt < now - RUN_LEASE_MS) {
    await deps.db.delete(aiIncidentIssues).where(and(key, isNull(aiIncidentIssues.issueKey)));
  }
  const claimed = await deps.db
    .insert(aiIncidentIssues)
    .values({ orgId: run.orgId, subject: run.subject, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0)
    return {
      status: "skipped",
      outcome: `duplicate: ${existing?.issueKey ?? "an issue is being opened"}`,
      targetUrl: existing?.issueUrl,
    };
  try {
    return await openIssue(deps, run, incident, jira, integration);
  } catch (error) {
    await deps.db.delete(aiIncidentIssues).where(key);
    throw error;
  }
}
