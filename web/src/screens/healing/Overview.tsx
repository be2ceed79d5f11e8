import { useId, useState } from "react";
import { healingApi } from "../../api-healing.ts";
import { useAppState } from "../../app-state.tsx";
import { BarChart, pct } from "../../components/charts.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { Link } from "../../components/Link.tsx";
import { useProjectName } from "../../components/ProjectGate.tsx";
import { Stat } from "../../components/Stat.tsx";
import { useAsync } from "../../components/useAsync.ts";

type Scope = "org" | "project";
const SCOPES: [Scope, string][] = [
  ["org", "All projects"],
  ["project", "This project"],
];

/** Heal rate and acceptance rate, overall, by strategy and by project (GET /v1/heal/stats). */
export function Overview() {
  const { projectId } = useAppState();
  const [scope, setScope] = useState<Scope>("org");
  const scoped = scope === "project" && projectId ? projectId : undefined;
  const stats = useAsync(() => healingApi.stats({ projectId: scoped }), [scoped]);
  const projectName = useProjectName();
  const id = useId();
  const s = stats.data;

  return (
    <div className="stack-lg">
      <div className="toolbar">
        <h2 id={`${id}-h`}>Overview</h2>
        <fieldset className="segmented-inline">
          <legend className="visually-hidden">Scope</legend>
          {SCOPES.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-scope`}
                checked={scope === value}
                onChange={() => setScope(value)}
                disabled={value === "project" && !projectId}
              />
              {label}
            </label>
          ))}
        </fieldset>
      </div>
      <ErrorNotice error={stats.error} onRetry={stats.reload} />
      {!s && stats.loading ? (
        <Spinner label="Loading healing statistics" />
      ) : s && s.overall.attempts === 0 ? (
        <EmptyState title="No heal attempts yet">
          The SDK's Playwright fixture calls <code>POST /v1/heal</code> when a locator breaks; its attempts
          show up here.
        </EmptyState>
      ) : s ? (
        <>
          <div className="stat-grid" aria-live="polite">
            <Stat label="Heal attempts" value={s.overall.attempts.toLocaleString()} />
            <Stat
              label="Heal rate"
              value={pct(s.overall.healRate)}
              detail={`${s.overall.healed} healed, ${s.overall.attempts - s.overall.healed} abstained`}
              testId="heal-rate"
            />
            <Stat
              label="Acceptance rate"
              value={pct(s.overall.acceptanceRate)}
              detail={
                s.overall.reviewed
                  ? `${s.overall.accepted} of ${s.overall.reviewed} reviewed`
                  : "nothing reviewed yet"
              }
              testId="acceptance-rate"
            />
            <Stat label="Mean confidence of heals" value={pct(s.overall.avgConfidence)} />
          </div>
          <div className="chart-grid">
            <BarChart
              caption="Heal rate by strategy"
              valueLabel="Heal rate"
              testId="chart-strategy"
              rows={s.byStrategy.map((b) => ({
                key: b.key ?? "none",
                label: <code>{b.key ?? "—"}</code>,
                value: b.healRate,
                detail: `of ${b.attempts}${b.acceptanceRate !== null ? ` · ${pct(b.acceptanceRate)} accepted` : ""}`,
              }))}
            />
            <BarChart
              caption="Heal rate by project"
              valueLabel="Heal rate"
              testId="chart-project"
              empty="No attempts were tagged with a project."
              rows={s.byProject.map((b) => ({
                key: b.key ?? "none",
                label: projectName(b.key),
                value: b.healRate,
                detail: `of ${b.attempts}${b.acceptanceRate !== null ? ` · ${pct(b.acceptanceRate)} accepted` : ""}`,
              }))}
            />
          </div>
          <p className="muted small">
            Heals that wait for a person are in the <Link href="/healing/review">review queue</Link>; every
            call is listed under <Link href="/healing/attempts">attempts</Link>.
          </p>
        </>
      ) : null}
    </div>
  );
}
