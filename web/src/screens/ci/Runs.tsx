import { type FormEvent, useId, useState } from "react";
import { ciApi } from "../../api-ci.ts";
import { TrendBars } from "../../components/charts.tsx";
import { DataTable } from "../../components/DataTable.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { Field, FilterActions, readForm, SelectField } from "../../components/forms.tsx";
import { Link } from "../../components/Link.tsx";
import { PagedView } from "../../components/PagedView.tsx";
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
    const { text } = readForm(event);
    setFilter({ branch: text("branch"), status: text("status") as "passed" | "failed" | undefined });
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
        <Field id={`${id}-branch`} label="Branch">
          <input id={`${id}-branch`} name="branch" maxLength={255} placeholder="main" />
        </Field>
        <SelectField
          id={`${id}-status`}
          label="Report status"
          name="status"
          options={[
            { value: "passed", label: "Passed" },
            { value: "failed", label: "Failed" },
          ]}
          none="Any"
        />
        <FilterActions onClear={() => setFilter({})} />
      </form>
      <PagedView
        paged={runs}
        loadingLabel="Loading runs"
        emptyTitle="No runs yet"
        empty={
          <>
            Upload a JUnit XML or Playwright JSON report with <code>shifty upload</code> or{" "}
            <code>POST /v1/projects/{projectId}/runs</code>.
          </>
        }
        moreLabel="Load older runs"
      >
        {(items) => (
          <>
            <TrendBars points={trend} label="Pass rate" />
            <DataTable
              caption="Runs, newest first"
              rows={items}
              rowKey={(run) => run.id}
              columns={[
                {
                  header: "Run",
                  rowHeader: true,
                  cell: (run) => (
                    <>
                      <Link href={`/ci/runs/${run.id}`} title={formatDateTime(run.createdAt)}>
                        {formatRelative(run.createdAt)}
                      </Link>
                      <span className="muted small block">
                        {run.format}
                        {run.provider ? ` · ${run.provider}` : ""}
                        {run.pr ? ` · PR #${run.pr}` : ""}
                      </span>
                    </>
                  ),
                },
                {
                  header: "Branch · commit",
                  cell: (run) => (
                    <>
                      {run.branch ?? <span className="muted">—</span>}
                      {run.commit && (
                        <>
                          {" "}
                          <code>{shortSha(run.commit)}</code>
                        </>
                      )}
                    </>
                  ),
                },
                { header: "Results", cell: (run) => <Counts run={run} /> },
                { header: "Gate", cell: (run) => <GateBadge status={run.gate.status} /> },
                { header: "Duration", className: "nowrap", cell: (run) => formatDuration(run.durationMs) },
              ]}
            />
          </>
        )}
      </PagedView>
    </div>
  );
}
