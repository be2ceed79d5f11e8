import { useId, useMemo, useState } from "react";
import { type Artifact, ciApi, type ResultStatus } from "../../api-ci.ts";
import { pct } from "../../components/charts.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { PagedView } from "../../components/PagedView.tsx";
import { useAsync } from "../../components/useAsync.ts";
import { usePaged } from "../../components/usePaged.ts";
import { Counts, formatDuration, GateBadge, passRate, ResultTable } from "./shared.tsx";

const FILTERS: { value: ResultStatus | ""; label: string }[] = [
  { value: "", label: "All" },
  { value: "failed", label: "Failed" },
  { value: "flaky", label: "Flaky" },
  { value: "passed", label: "Passed" },
  { value: "skipped", label: "Skipped" },
];

/** One run: its gate and the reasons, where it came from, and its results (with their failure artifacts) with a status filter. */
export function RunDetail({ runId }: { runId: string }) {
  const run = useAsync(() => ciApi.run(runId), [runId]);
  const gate = useAsync(() => ciApi.gate(runId), [runId]);
  const [status, setStatus] = useState<ResultStatus | "">("");
  const results = usePaged(
    (cursor) => ciApi.results(runId, { status: status || undefined, cursor, limit: 50 }),
    [runId, status],
  );
  // One page covers a run's failure artifacts in practice (20 per failed result at most).
  const artifacts = useAsync(() => ciApi.artifacts(runId, { limit: 100 }), [runId]);
  const byResult = useMemo(() => {
    const map = new Map<string, Artifact[]>();
    for (const a of artifacts.data?.items ?? []) map.set(a.resultId, [...(map.get(a.resultId) ?? []), a]);
    return map;
  }, [artifacts.data]);
  const id = useId();

  if (run.error) return <ErrorNotice error={run.error} />;
  if (!run.data) return <Spinner label="Loading the run" />;
  const r = run.data;
  const verdict = gate.data ?? { ...r.gate, evaluatedAt: r.createdAt };

  return (
    <div className="stack-lg">
      <p className="crumbs">
        <Link href="/ci">Runs</Link> /
      </p>
      <div className="toolbar">
        <h2 id={`${id}-h`}>
          Run of {formatDateTime(r.createdAt)}
          {r.branch ? ` on ${r.branch}` : ""}
        </h2>
        <GateBadge status={verdict.status} />
      </div>

      <div className="run-summary">
        <section className="card" aria-labelledby={`${id}-gate`}>
          <h3 id={`${id}-gate`}>Quality gate</h3>
          {verdict.reasons.length === 0 ? (
            <p className="muted">No rule applies.</p>
          ) : (
            <ul className="reasons" data-testid="gate-reasons">
              {verdict.reasons.map((reason) => (
                <li key={reason.rule} className={`reason reason-${reason.status}`}>
                  <span className="reason-icon" aria-hidden="true">
                    {reason.status === "pass" ? "✓" : reason.status === "fail" ? "✗" : "!"}
                  </span>
                  <span>
                    <strong>{reason.rule}</strong> <span className="visually-hidden">{reason.status}:</span>{" "}
                    {reason.message}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <ErrorNotice error={gate.error} />
        </section>
        <section className="card" aria-labelledby={`${id}-facts`}>
          <h3 id={`${id}-facts`}>Run</h3>
          <dl className="facts">
            <dt>Results</dt>
            <dd>
              <Counts run={r} /> · {pct(passRate(r), 1)} pass rate
            </dd>
            <dt>New failures</dt>
            <dd>{r.newFailures}</dd>
            <dt>Healed</dt>
            <dd>{r.healed}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(r.durationMs)}</dd>
            <dt>Commit</dt>
            <dd>{r.commit ? <code>{r.commit}</code> : "—"}</dd>
            {r.baseBranch && (
              <>
                <dt>Base branch</dt>
                <dd>{r.baseBranch}</dd>
              </>
            )}
            {r.pr !== null && (
              <>
                <dt>Pull request</dt>
                <dd>#{r.pr}</dd>
              </>
            )}
            <dt>Source</dt>
            <dd>
              {r.format}
              {r.provider ? ` from ${r.provider}` : ""}
              {r.buildId ? ` · build ${r.buildId}` : ""}
              {r.runUrl && (
                <>
                  {" · "}
                  <a href={r.runUrl} target="_blank" rel="noreferrer">
                    CI job
                  </a>
                </>
              )}
            </dd>
            {r.github && (
              <>
                <dt>GitHub</dt>
                <dd>
                  {r.github.state}
                  {r.github.kind ? ` (${r.github.kind.replace("_", " ")})` : ""}
                  {r.github.error ? ` — ${r.github.error}` : ""}
                </dd>
              </>
            )}
          </dl>
        </section>
      </div>

      <div className="toolbar">
        <h3>Results</h3>
        <fieldset className="button-group">
          <legend className="visually-hidden">Show results that</legend>
          {FILTERS.map((f) => (
            <button
              key={f.value}
              type="button"
              className="seg-btn"
              aria-pressed={status === f.value}
              onClick={() => setStatus(f.value)}
            >
              {f.label}
            </button>
          ))}
        </fieldset>
      </div>
      <PagedView paged={results} loadingLabel="Loading results" emptyTitle="No results with this status">
        {(items) => <ResultTable caption="Test results of this run" results={items} artifacts={byResult} />}
      </PagedView>
    </div>
  );
}
