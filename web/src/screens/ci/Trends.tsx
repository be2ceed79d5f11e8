import { useId } from "react";
import { type CiTrends, ciApi, type TrendPoint } from "../../api-ci.ts";
import { pct } from "../../components/charts.tsx";
import { DataTable } from "../../components/DataTable.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { QueryFilterForm, SelectField } from "../../components/forms.tsx";
import { Link } from "../../components/Link.tsx";
import { type ChartPoint, TrendChart } from "../../components/TrendChart.tsx";
import { useAsync } from "../../components/useAsync.ts";
import { navigate, useQuery } from "../../router.ts";
import { BranchField, formatDuration, TestName } from "./shared.tsx";

const WINDOWS = [7, 14, 30, 90] as const;
const dayLabel = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

type Series = {
  key: string;
  title: string;
  value: (p: TrendPoint) => number | null;
  value2?: (p: TrendPoint) => number | null;
  detail: (p: TrendPoint) => string;
  tick: (v: number) => string;
  legend?: string;
};

const runs = (p: TrendPoint) => `${p.runs} run${p.runs === 1 ? "" : "s"}`;
const ms = (v: number | null) => (v === null ? "—" : formatDuration(v));

const SERIES: Series[] = [
  {
    key: "pass-rate",
    title: "Pass rate",
    value: (p) => p.passRate,
    detail: (p) => `${pct(p.passRate, 1)} passed · ${runs(p)}`,
    tick: (v) => pct(v),
  },
  {
    key: "duration",
    title: "Run duration",
    value: (p) => p.durationP50,
    value2: (p) => p.durationP95,
    detail: (p) => `p50 ${ms(p.durationP50)}, p95 ${ms(p.durationP95)} · ${runs(p)}`,
    tick: (v) => formatDuration(Math.round(v)),
    legend: "solid p50, dashed p95",
  },
  {
    key: "flaky",
    title: "Flaky results",
    value: (p) => (p.runs ? p.flaky : null),
    detail: (p) => `${p.flaky} flaky · ${runs(p)}`,
    tick: (v) => String(Math.round(v * 10) / 10),
  },
  {
    key: "heal-rate",
    title: "Heal rate",
    value: (p) => p.healRate,
    detail: (p) => `${pct(p.healRate, 1)} of results healed (${p.healed}) · ${runs(p)}`,
    tick: (v) => pct(v),
  },
];

/** Pass rate, duration p50/p95, flaky results and heal rate per day, and the slowest tests; per branch. */
export function Trends({ projectId }: { projectId: string }) {
  const query = useQuery();
  const branch = query.get("branch") || undefined;
  const days = WINDOWS.find((d) => String(d) === query.get("days")) ?? 30;
  const trends = useAsync(() => ciApi.trends(projectId, { branch, days }), [projectId, branch, days]);
  const id = useId();

  return (
    <div className="stack-lg">
      <h2 className="visually-hidden">Trends</h2>
      <QueryFilterForm label="Filter trends" fields={["branch", "days"]} defaults={{ days: "30" }}>
        <BranchField id={`${id}-branch`} value={branch} placeholder="All branches" />
        <SelectField
          id={`${id}-days`}
          label="Window"
          name="days"
          options={WINDOWS.map((d) => ({ value: String(d), label: `Last ${d} days` }))}
          defaultValue={String(days)}
        />
      </QueryFilterForm>
      <ErrorNotice error={trends.error} />
      {!trends.data ? (
        !trends.error && <Spinner label="Loading trends" />
      ) : (
        <TrendsView data={trends.data} branch={branch} />
      )}
    </div>
  );
}

function TrendsView({ data, branch }: { data: CiTrends; branch: string | undefined }) {
  // A day opens its latest run; a day without runs opens the runs list of the branch.
  const open = (p: ChartPoint) => {
    const point = data.points.find((d) => d.day === p.key);
    if (point?.latestRunId) navigate(`/ci/runs/${point.latestRunId}`);
    else navigate(branch ? `/ci?branch=${encodeURIComponent(branch)}` : "/ci");
  };
  return (
    <>
      <p className="muted small" data-testid="trends-summary">
        {data.runsCounted} run{data.runsCounted === 1 ? "" : "s"} in the last {data.days} days
        {data.branch ? ` on ${data.branch}` : " on all branches"} ·{" "}
        <Link href="/ci/flaky">{data.flakyTests} flaky tests now</Link>
      </p>
      <div className="trend-grid-cards">
        {SERIES.map((s) => (
          <section key={s.key} className="card stack-sm" aria-labelledby={`trend-${s.key}`}>
            <h3 id={`trend-${s.key}`}>{s.title}</h3>
            <TrendChart
              title={`${s.title} per day`}
              unit="day"
              testId={`trend-${s.key}`}
              points={data.points.map((p) => ({
                key: p.day,
                label: dayLabel.format(Date.parse(p.day)),
                value: s.value(p),
                value2: s.value2?.(p),
                detail: s.detail(p),
              }))}
              formatTick={s.tick}
              onSelect={open}
              legend={s.legend}
            />
          </section>
        ))}
      </div>
      <section className="stack-sm" aria-labelledby="trend-slowest">
        <h3 id="trend-slowest">Slowest tests</h3>
        {data.slowest.length === 0 ? (
          <p className="muted small">No results in this window.</p>
        ) : (
          <DataTable
            caption="Slowest tests by average duration"
            rows={data.slowest}
            rowKey={(t) => t.testId}
            columns={[
              {
                header: "Test",
                rowHeader: true,
                className: "test-cell",
                cell: (t) => <TestName id={t.testId} name={t.name} file={t.file} suite={t.suite} />,
              },
              { header: "Average", className: "nowrap", cell: (t) => formatDuration(t.avgDurationMs) },
              { header: "Slowest", className: "nowrap", cell: (t) => formatDuration(t.maxDurationMs) },
              { header: "Results", cell: (t) => t.results },
            ]}
          />
        )}
      </section>
    </>
  );
}
