import { useState } from "react";
import { type CiTest, ciApi } from "../../api-ci.ts";
import { useAppState } from "../../app-state.tsx";
import { OutcomeStrip, pct, WilsonBar } from "../../components/charts.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { Announce, LoadMore } from "../../components/SubNav.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";
import { useAsync } from "../../components/useAsync.ts";
import { usePaged } from "../../components/usePaged.ts";
import { ResultRow } from "./shared.tsx";

/** One test across runs: its flakiness figures, an outcome strip and every result. */
export function TestHistory({ testId }: { testId: string }) {
  const { can } = useAppState();
  const test = useAsync(() => ciApi.test(testId), [testId]);
  const history = usePaged((cursor) => ciApi.history(testId, { cursor, limit: 50 }), [testId]);
  const [override, setOverride] = useState<CiTest | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<unknown>(null);

  if (test.error) return <ErrorNotice error={test.error} />;
  if (!test.data) return <Spinner label="Loading the test" />;
  const t = override ?? test.data;

  async function toggle() {
    setError(null);
    try {
      const next = await ciApi.quarantine(t.id, !t.quarantined);
      setOverride(next);
      setMessage(next.quarantined ? "Quarantined." : "Released from quarantine.");
    } catch (failure) {
      setError(failure);
    }
  }

  const strip = history.items
    .slice(0, 50)
    .reverse()
    .map((r) => ({ key: r.id, status: r.status, title: `${formatDateTime(r.createdAt)}: ${r.status}` }));

  return (
    <div className="stack-lg">
      <p className="crumbs">
        <Link href="/ci/flaky">Flaky tests</Link> /
      </p>
      <div className="toolbar">
        <div>
          <h2>{t.name}</h2>
          <p className="muted small">{t.file ?? t.suite}</p>
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
      <ErrorNotice error={error} />
      <div className="stat-grid">
        <div className="card stat">
          <span className="stat-label">Failure rate</span>
          <strong className="stat-value">{pct(t.stats.failureRate, 1)}</strong>
          <WilsonBar rate={t.stats.failureRate} low={t.stats.wilson.low} high={t.stats.wilson.high} />
          <span className="muted small">
            95% interval {pct(t.stats.wilson.low, 1)} – {pct(t.stats.wilson.high, 1)}
          </span>
        </div>
        <div className="card stat">
          <span className="stat-label">Sample</span>
          <strong className="stat-value">{t.stats.sampleSize}</strong>
          <span className="muted small">{t.stats.failures} failures (fails and passes on retry)</span>
        </div>
        <div className="card stat">
          <span className="stat-label">Last seen</span>
          <strong className="stat-value">{formatRelative(t.lastSeenAt)}</strong>
          <span className="muted small">
            {t.lastOutcome ?? "—"} · {t.consecutivePasses} clean passes in a row
          </span>
        </div>
      </div>
      <div className="card">
        <h3>Recent outcomes</h3>
        <OutcomeStrip outcomes={strip} />
      </div>
      <ErrorNotice error={history.error} />
      {!history.loaded ? (
        <Spinner label="Loading history" />
      ) : history.items.length === 0 ? (
        <EmptyState title="No results recorded" />
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table>
            <caption className="visually-hidden">Results of this test, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {history.items.map((result) => (
                <ResultRow key={result.id} result={result} showRun />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore hasMore={history.hasMore} loading={history.loading} onMore={history.more} />
    </div>
  );
}
