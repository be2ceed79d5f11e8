import { useId } from "react";
import { ciApi } from "../../api-ci.ts";
import { pct } from "../../components/charts.tsx";
import { DataTable } from "../../components/DataTable.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { QueryFilterForm, SelectField } from "../../components/forms.tsx";
import { Link } from "../../components/Link.tsx";
import { PagedView } from "../../components/PagedView.tsx";
import { TrendChart } from "../../components/TrendChart.tsx";
import { useChangePoll } from "../../components/useChangePoll.ts";
import { usePaged } from "../../components/usePaged.ts";
import { navigate, useQuery } from "../../router.ts";
import { BranchField, Counts, formatDuration, GateBadge, passRate, shortSha } from "./shared.tsx";

const STATUSES = ["passed", "failed"] as const;
type Status = (typeof STATUSES)[number];

/** The project's runs, newest first, with counts, gate verdicts and a pass-rate trend; filters in the URL. */
export function Runs({ projectId }: { projectId: string }) {
  const query = useQuery();
  const branch = query.get("branch") || undefined;
  const rawStatus = query.get("status");
  const status = STATUSES.find((s) => s === rawStatus);
  const filter: { branch?: string; status?: Status } = { branch, status };
  const runs = usePaged(
    (cursor) => ciApi.runs(projectId, { ...filter, cursor, limit: 30 }),
    [projectId, branch, status],
  );
  // A run uploaded while this screen is open appears by itself (the first page, same filters).
  useChangePoll(ciApi.runsPath(projectId), { ...filter, limit: 30 }, runs.reload);
  const id = useId();

  const recent = runs.items.slice(0, 30).reverse();
  const trend = recent.map((run) => ({
    key: run.id,
    label: `#${run.number}`,
    value: passRate(run),
    tone: run.gate.status,
    detail: `${formatDateTime(run.createdAt)}${run.branch ? ` · ${run.branch}` : ""}: ${pct(passRate(run))} passed, gate ${run.gate.status}`,
  }));

  return (
    <div>
      <h2 className="visually-hidden">Runs</h2>
      <QueryFilterForm label="Filter runs" fields={["branch", "status"]}>
        <BranchField id={`${id}-branch`} value={branch} placeholder="main" />
        <SelectField
          id={`${id}-status`}
          label="Report status"
          name="status"
          options={[
            { value: "passed", label: "Passed" },
            { value: "failed", label: "Failed" },
          ]}
          none="Any"
          defaultValue={status ?? ""}
        />
      </QueryFilterForm>
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
            <div className="card" data-testid="pass-rate-trend">
              <TrendChart
                title={`Pass rate of the last ${trend.length} runs, oldest first`}
                caption={
                  <>
                    Pass rate <span className="muted small">· last {trend.length} runs, oldest first</span>
                  </>
                }
                unit="run"
                kind="bars"
                points={trend}
                formatTick={(v) => pct(v)}
                onSelect={(p) => navigate(`/ci/runs/${p.key}`)}
                legend={
                  <>
                    <span>
                      <i className="dot trend-pass" /> gate passed
                    </span>
                    <span>
                      <i className="dot trend-warn" /> warned
                    </span>
                    <span>
                      <i className="dot trend-fail" /> failed
                    </span>
                    <span className="grow" />
                    <span>
                      average{" "}
                      {pct(recent.reduce((sum, r) => sum + passRate(r), 0) / Math.max(1, recent.length))}
                    </span>
                  </>
                }
              />
            </div>
            <DataTable
              caption="Runs, newest first"
              rows={items}
              columns={[
                {
                  header: "Run",
                  rowHeader: true,
                  cell: (run) => (
                    <>
                      <Link href={`/ci/runs/${run.id}`} title={formatDateTime(run.createdAt)}>
                        #{run.number}
                      </Link>{" "}
                      <time
                        className="muted small"
                        dateTime={new Date(run.createdAt).toISOString()}
                        title={formatDateTime(run.createdAt)}
                      >
                        {formatRelative(run.createdAt)}
                      </time>
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
