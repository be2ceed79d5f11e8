import { type FormEvent, useId, useState } from "react";
import { ciApi } from "../../api-ci.ts";
import { TrendBars } from "../../components/charts.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { LoadMore } from "../../components/SubNav.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";
import { useChangePoll } from "../../components/useChangePoll.ts";
import { usePaged } from "../../components/usePaged.ts";
import { Counts, formatDuration, GateBadge, passRate, shortSha } from "./shared.tsx";

/** The project's runs, newest first, with counts, gate verdicts and a pass-rate trend. */
export function Runs({ projectId }: { projectId: string }) {
  const [filter, setFilter] = useState<{ branch?: string; status?: "passed" | "failed" }>({});
  const runs = usePaged(
    (cursor) => ciApi.runs(projectId, { ...filter, cursor, limit: 30 }),
    [projectId, filter],
  );
  // A run uploaded while this screen is open appears by itself (the first page, same filters).
  useChangePoll(ciApi.runsPath(projectId), { ...filter, limit: 30 }, runs.reload);
  const id = useId();

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const branch = String(form.get("branch") ?? "").trim() || undefined;
    const status = (String(form.get("status") ?? "") || undefined) as "passed" | "failed" | undefined;
    setFilter({ branch, status });
  }

  const trend = runs.items
    .slice(0, 30)
    .reverse()
    .map((run) => ({
      key: run.id,
      value: passRate(run),
      tone: run.gate.status,
      title: `${formatDateTime(run.createdAt)}${run.branch ? ` · ${run.branch}` : ""}: ${Math.round(passRate(run) * 100)}% passed, gate ${run.gate.status}`,
    }));

  return (
    <div>
      <h2 className="visually-hidden">Runs</h2>
      <form className="card filters" onSubmit={apply} aria-label="Filter runs">
        <div className="field">
          <label htmlFor={`${id}-branch`}>Branch</label>
          <input id={`${id}-branch`} name="branch" maxLength={255} placeholder="main" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>Report status</label>
          <select id={`${id}-status`} name="status" defaultValue="">
            <option value="">Any</option>
            <option value="passed">Passed</option>
            <option value="failed">Failed</option>
          </select>
        </div>
        <div className="filters-actions">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          <button type="reset" className="btn btn-ghost" onClick={() => setFilter({})}>
            Clear
          </button>
        </div>
      </form>
      <ErrorNotice error={runs.error} />
      {!runs.loaded ? (
        <Spinner label="Loading runs" />
      ) : runs.items.length === 0 ? (
        <EmptyState title="No runs yet">
          Upload a JUnit XML or Playwright JSON report with <code>shifty upload</code> or{" "}
          <code>POST /v1/projects/{projectId}/runs</code>.
        </EmptyState>
      ) : (
        <>
          <TrendBars points={trend} label="Pass rate" />
          <div className="table-wrap" {...keyboardScrollable}>
            <table>
              <caption className="visually-hidden">Runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Branch · commit</th>
                  <th scope="col">Results</th>
                  <th scope="col">Gate</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {runs.items.map((run) => (
                  <tr key={run.id}>
                    <th scope="row">
                      <Link href={`/ci/runs/${run.id}`} title={formatDateTime(run.createdAt)}>
                        {formatRelative(run.createdAt)}
                      </Link>
                      <span className="muted small block">
                        {run.format}
                        {run.provider ? ` · ${run.provider}` : ""}
                        {run.pr ? ` · PR #${run.pr}` : ""}
                      </span>
                    </th>
                    <td>
                      {run.branch ?? <span className="muted">—</span>}
                      {run.commit && (
                        <>
                          {" "}
                          <code>{shortSha(run.commit)}</code>
                        </>
                      )}
                    </td>
                    <td>
                      <Counts run={run} />
                    </td>
                    <td>
                      <GateBadge status={run.gate.status} />
                    </td>
                    <td className="nowrap">{formatDuration(run.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <LoadMore hasMore={runs.hasMore} loading={runs.loading} onMore={runs.more} label="Load older runs" />
    </div>
  );
}
