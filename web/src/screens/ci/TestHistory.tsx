import { useState } from "react";
import { type CiTest, ciApi } from "../../api-ci.ts";
import { useAppState } from "../../app-state.tsx";
import { OutcomeStrip, pct, WilsonBar } from "../../components/charts.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { Crumb } from "../../components/Link.tsx";
import { PagedView } from "../../components/PagedView.tsx";
import { Stat } from "../../components/Stat.tsx";
import { Announce } from "../../components/SubNav.tsx";
import { TrendChart } from "../../components/TrendChart.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";
import { usePaged } from "../../components/usePaged.ts";
import { navigate } from "../../router.ts";
import { formatDuration, ResultTable } from "./shared.tsx";

/** One test across runs: its flakiness figures, tags, outcome strip, duration history and every result. */
export function TestHistory({ testId }: { testId: string }) {
  const { can } = useAppState();
  const test = useAsync(() => ciApi.test(testId), [testId]);
  const history = usePaged((cursor) => ciApi.history(testId, { cursor, limit: 50 }), [testId]);
  const [override, setOverride] = useState<CiTest | null>(null);
  const [message, setMessage] = useState("");
  const action = useAction();

  if (test.error) return <ErrorNotice error={test.error} />;
  if (!test.data) return <Spinner label="Loading the test" />;
  const t = override ?? test.data;

  function toggle() {
    return action.run(async () => {
      const next = await ciApi.quarantine(t.id, !t.quarantined);
      setOverride(next);
      setMessage(next.quarantined ? "Quarantined." : "Released from quarantine.");
    });
  }

  const durations = history.items
    .slice(0, 50)
    .reverse()
    .filter((r) => r.status !== "skipped")
    .map((r) => ({
      key: r.id,
      label: formatDateTime(r.createdAt),
      value: r.durationMs,
      detail: `${formatDuration(r.durationMs)}, ${r.status}${r.branch ? ` on ${r.branch}` : ""}`,
    }));
  const strip = history.items
    .slice(0, 50)
    .reverse()
    .map((r) => ({ key: r.id, status: r.status, title: `${formatDateTime(r.createdAt)}: ${r.status}` }));

  return (
    <div className="stack-lg">
      <Crumb href="/ci/tests">Tests</Crumb>
      <div className="toolbar">
        <div>
          <h2>{t.name}</h2>
          <p className="muted small">{t.file ?? t.suite}</p>
          {t.tags.length > 0 && (
            <p className="tag-list" data-testid="test-tags">
              {t.tags.map((tag) => (
                <span key={tag} className="badge">
                  {tag}
                </span>
              ))}
            </p>
          )}
        </div>
        <div className="page-actions">
          <span className={`badge badge-test-${t.status}`}>{t.status}</span>
          {t.quarantined && <span className="badge badge-pending">quarantined</span>}
          {can("runs:write") && (
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={toggle}
              aria-pressed={t.quarantined}
            >
              {t.quarantined ? "Release from quarantine" : "Quarantine"}
            </button>
          )}
        </div>
      </div>
      <Announce message={message} />
      <ErrorNotice error={action.error} />
      <div className="stat-grid">
        <Stat
          label="Failure rate"
          value={pct(t.stats.failureRate, 1)}
          detail={`95% interval ${pct(t.stats.wilson.low, 1)} – ${pct(t.stats.wilson.high, 1)}`}
        >
          <WilsonBar rate={t.stats.failureRate} low={t.stats.wilson.low} high={t.stats.wilson.high} />
        </Stat>
        <Stat
          label="Sample"
          value={t.stats.sampleSize}
          detail={`${t.stats.failures} failures (fails and passes on retry)`}
        />
        <Stat
          label="Last seen"
          value={formatRelative(t.lastSeenAt)}
          detail={`${t.lastOutcome ?? "—"} · ${t.consecutivePasses} clean passes in a row`}
        />
      </div>
      <div className="card">
        <h3>Recent outcomes</h3>
        <OutcomeStrip outcomes={strip} />
      </div>
      {durations.length > 0 && (
        <section className="card stack-sm" aria-labelledby="test-duration-h">
          <h3 id="test-duration-h">Duration</h3>
          <TrendChart
            title="Duration of this test's recent results, oldest first"
            unit="result"
            testId="test-duration"
            points={durations}
            formatTick={(v) => formatDuration(Math.round(v))}
            onSelect={(p) => {
              const run = history.items.find((r) => r.id === p.key)?.runId;
              if (run) navigate(`/ci/runs/${run}`);
            }}
          />
        </section>
      )}
      <PagedView paged={history} loadingLabel="Loading history" emptyTitle="No results recorded">
        {(items) => <ResultTable caption="Results of this test, newest first" results={items} showRun />}
      </PagedView>
    </div>
  );
}
