import { useId, useState } from "react";
import { aiApi, WORKFLOW_LABELS, type WorkflowName } from "../api-ai.ts";
import { EmptyState, ErrorNotice, Spinner } from "../components/Feedback.tsx";
import { formatDateTime } from "../components/format.ts";
import { LoadMore } from "../components/SubNav.tsx";
import { keyboardScrollable } from "../components/scroll.ts";
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
    <section className="page" aria-labelledby={`${id}-title`}>
      <header className="page-head">
        <div>
          <h1 id={`${id}-title`}>AI workflows</h1>
          <p className="muted">
            Runs started by webhooks: PR test-impact reviews, deploy monitors, incidents sent to Jira and CI
            failure triage.
            {usage.data && (
              <>
                {" "}
                This month: <strong data-testid="ai-month-cost">{usd(usage.data.costUsd)}</strong> for{" "}
                {(usage.data.tokensIn + usage.data.tokensOut).toLocaleString()} tokens
                {usage.data.monthlyCostCapUsd !== null && (
                  <> of a {usd(usage.data.monthlyCostCapUsd)} budget</>
                )}
                {usage.data.providers.length === 0 &&
                  " · no AI provider configured (deterministic results only)"}
                .
              </>
            )}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-workflow`}>Workflow</label>
          <select
            id={`${id}-workflow`}
            value={workflow}
            onChange={(e) => setWorkflow(e.target.value as WorkflowName | "")}
          >
            <option value="">All workflows</option>
            {Object.entries(WORKFLOW_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </header>
      <ErrorNotice error={runs.error ?? usage.error} />
      {!runs.loaded ? (
        <Spinner label="Loading workflow runs" />
      ) : runs.items.length === 0 ? (
        <EmptyState title="No workflow runs yet">
          Connect a GitHub, Sentry or Datadog webhook source to a project; its events start the workflows.
        </EmptyState>
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table aria-label="Workflow runs">
            <caption className="visually-hidden">Workflow runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Workflow</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Outcome</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {runs.items.map((run) => (
                <tr key={run.id}>
                  <td className="nowrap">{formatDateTime(run.createdAt)}</td>
                  <td>{WORKFLOW_LABELS[run.workflow]}</td>
                  <td>
                    <code>{run.subject}</code>
                  </td>
                  <td>
                    <span className={`badge ${STATUS_BADGE[run.status] ?? ""}`}>{run.status}</span>
                  </td>
                  <td>
                    {run.targetUrl ? (
                      <a href={run.targetUrl} target="_blank" rel="noreferrer">
                        {run.outcome ?? run.targetUrl}
                      </a>
                    ) : (
                      (run.outcome ?? run.error ?? "")
                    )}
                  </td>
                  <td className="nowrap">
                    {usd(run.costUsd)}{" "}
                    <span className="muted small">· {run.tokens.toLocaleString()} tokens</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore hasMore={runs.hasMore} loading={runs.loading} onMore={runs.more} />
    </section>
  );
}
