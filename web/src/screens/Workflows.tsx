import { useId, useState } from "react";
import { aiApi, WORKFLOW_LABELS, type WorkflowName } from "../api-ai.ts";
import { ErrorNotice } from "../components/Feedback.tsx";
import { formatDateTime } from "../components/format.ts";
import { SelectField } from "../components/forms.tsx";
import { Page } from "../components/Page.tsx";
import { PagedTable } from "../components/PagedView.tsx";
import { useAsync } from "../components/useAsync.ts";
import { usePaged } from "../components/usePaged.ts";

const usd = (value: number) => `$${value.toFixed(value > 0 && value < 0.01 ? 4 : 2)}`;
const STATUS_BADGE: Record<string, string> = {
  succeeded: "badge-active",
  failed: "badge-revoked",
  skipped: "",
  watching: "",
  queued: "",
  running: "",
};

/** The AI workflows' runs (started by webhooks), with their outcome and what they cost. */
export function Workflows() {
  const id = useId();
  const [workflow, setWorkflow] = useState<WorkflowName | "">("");
  const usage = useAsync(() => aiApi.usage(), []);
  const runs = usePaged(
    (cursor) => aiApi.runs({ workflow: workflow || undefined, cursor, limit: 50 }),
    [workflow],
  );
  return (
    <Page
      id={`${id}-title`}
      title="AI workflows"
      lead={
        <>
          Runs started by webhooks: PR test-impact reviews, deploy monitors, incidents sent to Jira and CI
          failure triage.
          {usage.data && (
            <>
              {" "}
              This month: <strong data-testid="ai-month-cost">{usd(usage.data.costUsd)}</strong> for{" "}
              {(usage.data.tokensIn + usage.data.tokensOut).toLocaleString()} tokens
              {usage.data.monthlyCostCapUsd !== null && <> of a {usd(usage.data.monthlyCostCapUsd)} budget</>}
              {usage.data.providers.length === 0 &&
                " · no AI provider configured (deterministic results only)"}
              .
            </>
          )}
        </>
      }
      actions={
        <SelectField
          id={`${id}-workflow`}
          label="Workflow"
          options={Object.entries(WORKFLOW_LABELS).map(([value, label]) => ({ value, label }))}
          none="All workflows"
          value={workflow}
          onChange={(next) => setWorkflow(next as WorkflowName | "")}
        />
      }
    >
      <ErrorNotice error={usage.error} />
      <PagedTable
        paged={runs}
        loadingLabel="Loading workflow runs"
        emptyTitle="No workflow runs yet"
        empty="Connect a GitHub, Sentry or Datadog webhook source to a project; its events start the workflows."
        caption="Workflow runs, newest first"
        columns={[
          { header: "When", className: "nowrap", cell: (run) => formatDateTime(run.createdAt) },
          { header: "Workflow", cell: (run) => WORKFLOW_LABELS[run.workflow] },
          { header: "Subject", cell: (run) => <code>{run.subject}</code> },
          {
            header: "Status",
            cell: (run) => <span className={`badge ${STATUS_BADGE[run.status] ?? ""}`}>{run.status}</span>,
          },
          {
            header: "Outcome",
            cell: (run) =>
              run.targetUrl ? (
                <a href={run.targetUrl} target="_blank" rel="noreferrer">
                  {run.outcome ?? run.targetUrl}
                </a>
              ) : (
                (run.outcome ?? run.error ?? "")
              ),
          },
          {
            header: "Cost",
            className: "nowrap",
            cell: (run) => (
              <>
                {usd(run.costUsd)} <span className="muted small">· {run.tokens.toLocaleString()} tokens</span>
              </>
            ),
          },
        ]}
      />
    </Page>
  );
}
