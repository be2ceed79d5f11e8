import { useId } from "react";
import { type DoraKey, type DoraReport, insightApi, type Window } from "../../api-insight.ts";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { Link } from "../../components/Link.tsx";
import { TrendChart } from "../../components/TrendChart.tsx";
import { useAsync } from "../../components/useAsync.ts";

type KeyName = "deploymentFrequency" | "leadTimeForChanges" | "changeFailureRate" | "timeToRestore";

/** The four keys, their units and what their sample counts (docs/insight.md, "Definitions"). */
const KEYS: { name: KeyName; title: string; unit: string; sample: string }[] = [
  {
    name: "deploymentFrequency",
    title: "Deployment frequency",
    unit: "successful production deployments per week",
    sample: "deployments",
  },
  {
    name: "leadTimeForChanges",
    title: "Lead time for changes",
    unit: "median, from commit or merge to production",
    sample: "changes",
  },
  {
    name: "changeFailureRate",
    title: "Change failure rate",
    unit: "failed ÷ finished production deployments",
    sample: "finished deployments",
  },
  {
    name: "timeToRestore",
    title: "Time to restore",
    unit: "median, from incident opened to resolved",
    sample: "resolved incidents",
  },
];

const BAND_TEXT = { elite: "Elite", high: "High", medium: "Medium", low: "Low" } as const;
const weekLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** A key's value in its unit: "2.5 per week", "18.0 h" / "3.2 days", "25%". */
function formatValue(unit: DoraKey["unit"], value: number | null): string {
  if (value === null) return "—";
  if (unit === "ratio") return `${Math.round(value * 1000) / 10}%`;
  if (unit === "hours") return value < 48 ? `${value.toFixed(1)} h` : `${(value / 24).toFixed(1)} days`;
  return `${value.toFixed(1)} per week`;
}

const tick = (unit: DoraKey["unit"]) => (value: number) =>
  unit === "ratio" ? `${Math.round(value * 100)}%` : unit === "hours" ? `${value} h` : `${value}/wk`;

/** The DORA four keys of the project (or the organisation) over the window. */
export function Dora({ projectId, window }: { projectId: string | null; window: Window }) {
  const id = useId();
  const report = useAsync(() => insightApi.dora(projectId, window), [projectId, window]);
  return (
    <section aria-labelledby={`${id}-h`} className="stack">
      <h2 id={`${id}-h`}>DORA four keys {projectId ? "of this project" : "of the organisation"}</h2>
      <ErrorNotice error={report.error} />
      {!report.data ? (
        !report.error && <Spinner label="Loading the four keys" />
      ) : isEmpty(report.data) ? (
        <EmptyState title="No deployments or incidents in this window">
          Connect a webhook source (GitHub or GitLab deployments and pushes; Sentry, Datadog or PagerDuty
          incidents) to this project in <Link href="/integrations/sources">Integrations → Sources</Link>, or
          attribute its repositories to the project. Figures appear within five minutes of the first events.
        </EmptyState>
      ) : (
        <div className="dora-grid">
          {KEYS.map((k) => (
            <DoraCard key={k.name} meta={k} data={report.data![k.name]} />
          ))}
        </div>
      )}
    </section>
  );
}

const isEmpty = (r: DoraReport) => KEYS.every((k) => r[k.name].sampleSize === 0);

function DoraCard({ meta, data }: { meta: (typeof KEYS)[number]; data: DoraKey }) {
  const id = useId();
  const points = data.series.map((p) => ({
    key: String(p.weekStart),
    label: `Week of ${weekLabel.format(p.weekStart)}`,
    value: p.value,
    detail:
      p.value === null ? "no data" : `${formatValue(data.unit, p.value)} (${p.sampleSize} ${meta.sample})`,
  }));
  return (
    <article
      className="card stack-sm dora-card"
      aria-labelledby={`${id}-h`}
      data-testid={`dora-${meta.name}`}
    >
      <h3 id={`${id}-h`}>{meta.title}</h3>
      <p className="dora-value">
        <strong data-testid="dora-value">{formatValue(data.unit, data.value)}</strong>{" "}
        {data.band ? (
          <span className={`badge band-${data.band}`} data-testid="dora-band">
            {BAND_TEXT[data.band]}
          </span>
        ) : (
          <span className="badge" data-testid="dora-band">
            No band
          </span>
        )}
      </p>
      <p className="muted small">
        {meta.unit} · <span data-testid="dora-sample">{data.sampleSize}</span> {meta.sample}
      </p>
      <TrendChart title={`${meta.title} per week`} unit="week" points={points} formatTick={tick(data.unit)} />
    </article>
  );
}
