// Typed calls of the AI layer (workers/routes/ai/): usage against the budget and the workflow runs.
// The shapes are the server's contract (shared/contract/ai.ts).
import type { AiUsage, WorkflowName, WorkflowRun } from "../../shared/contract/ai.ts";
import { json, type Page, type Paging } from "./api.ts";

export type { AiUsage, WorkflowName, WorkflowRun };

export const WORKFLOW_LABELS = {
  pr_review: "PR test-impact review",
  deploy_monitor: "Deploy monitor",
  incident_jira: "Incident → Jira",
  failure_triage: "Failure triage",
} as const satisfies Record<WorkflowName, string>;

export const aiApi = {
  usage: () => json<AiUsage>("GET", "/v1/ai/usage"),
  runs: (query: { workflow?: WorkflowName } & Paging = {}) =>
    json<Page<WorkflowRun>>("GET", "/v1/ai/workflow-runs", { query }),
};
