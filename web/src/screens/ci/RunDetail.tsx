import { useId, useMemo, useState } from "react";
import { allPages } from "../../api.ts";
import { type Artifact, type ComparedResult, type CompareSort, ciApi } from "../../api-ci.ts";
import { useAppState } from "../../app-state.tsx";
import { pct } from "../../components/charts.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { ButtonGroup, SelectField } from "../../components/forms.tsx";
import { Crumb, Link } from "../../components/Link.tsx";
import { Announce } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";
import { setQuery, useQuery } from "../../router.ts";
import { Counts, formatDuration, GateBadge, passRate, shortSha } from "./shared.tsx";
import { TriageTable } from "./TriageTable.tsx";

const FILTERS = [
  { value: "", label: "All" },
  { value: "new", label: "New failures" },
  { value: "failed", label: "Failed" },
  { value: "flaky", label: "Flaky" },
  { value: "passed", label: "Passed" },
  { value: "skipped", label: "Skipped" },
] as const;
type Filter = (typeof FILTERS)[number]["value"];

const SORTS: { value: CompareSort; label: string }[] = [
  { value: "status", label: "Failures first" },
  { value: "duration", label: "Slowest first" },
  { value: "name", label: "Name" },
];

/** Rows rendered at first (and added per "Show more"): a run of thousands of tests stays quick. */
const PAGE_ROWS = 200;

const matches = (filter: Filter, r: ComparedResult) =>
  filter === "" ? true : filter === "new" ? r.newFailure : r.status === filter;

/**
 * One run: its gate and the reasons, where it came from, and its results for triage — failures first,
 * new failures marked, each beside the reference run's result, quarantine from the row. Filter and sort
 * live in the URL.
 */
export function RunDetail({ runId }: { runId: string }) {
  const { can } = useAppState();
  const query = useQuery();
  const filter = FILTERS.find((f) => f.value === query.get("status"))?.value ?? "";
  const sort = SORTS.find((s) => s.value === query.get("sort"))?.value ?? "status";
  const run = useAsync(() => ciApi.run(runId), [runId]);
  const gate = useAsync(() => ciApi.gate(runId), [runId]);
  const comparison = useAsync(() => ciApi.compare(runId, sort), [runId, sort]);
  const [quarantine, setQuarantine] = useState<Record<string, boolean>>({});
  const [shown, setShown] = useState(PAGE_ROWS);
  const [message, setMessage] = useState("");
  const action = useAction();
  // Every page: a run keeps up to 20 artifacts per failed result, so a run with many failures has
  // more than one page, and a failure whose artifacts were on a later page showed none.
  const artifacts = useAsync(() => allPages((query) => ciApi.artifacts(runId, query)), [runId]);
  const byResult = useMemo(() => {
    const map = new Map<string, Artifact[]>();
    for (const a of artifacts.data ?? []) map.set(a.resultId, [...(map.get(a.resultId) ?? []), a]);
    return map;
  }, [artifacts.data]);
  const id = useId();

  if (run.error) return <ErrorNotice error={run.error} onRetry={run.reload} />;
  if (!run.data) return <Spinner label="Loading the run" />;
  const r = run.data;
  const verdict = gate.data ?? { ...r.gate, evaluatedAt: r.createdAt };
  const reference = comparison.data?.reference ?? null;
  const all = comparison.data?.items ?? [];
  const rows = all.filter((item) => matches(filter, item));
  const quarantinedNow = (item: ComparedResult) => quarantine[item.testId] ?? item.testQuarantined;

  function toggle(item: ComparedResult) {
    return action.run(async () => {
      const next = await ciApi.quarantine(item.testId, !quarantinedNow(item));
      setQuarantine((map) => ({ ...map, [item.testId]: next.quarantined }));
      setMessage(
        next.quarantined
          ? `${item.name} is quarantined: its failures no longer fail the gate.`
          : `${item.name} is released from quarantine.`,
      );
    });
  }

  return (
    <div className="stack-lg">
      <Crumb href="/ci">Runs</Crumb>
      <div className="toolbar">
        <h2 id={`${id}-h`}>
          Run #{r.number}
          {r.branch ? ` on ${r.branch}` : ""}{" "}
          <time className="muted small" dateTime={new Date(r.createdAt).toISOString()}>
            {formatDateTime(r.createdAt)}
          </time>
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
            <dd data-testid="new-failures">{r.newFailures}</dd>
            <dt>Compared with</dt>
            <dd data-testid="reference-run">
              {reference ? (
                <Link href={`/ci/runs/${reference.id}`} title={formatDateTime(reference.createdAt)}>
                  #{reference.number}
                  {reference.branch ? ` on ${reference.branch}` : ""}
                  {reference.commit ? ` @ ${shortSha(reference.commit)}` : ""}
                </Link>
              ) : comparison.data ? (
                <span className="muted">no earlier run to compare with</span>
              ) : (
                "…"
              )}
            </dd>
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
        <ButtonGroup
          legend="Show results that are"
          options={FILTERS}
          value={filter}
          onChange={(next) => {
            setShown(PAGE_ROWS);
            setQuery({ status: next || null });
          }}
        />
        <SelectField
          id={`${id}-sort`}
          label="Sort"
          options={SORTS}
          value={sort}
          onChange={(next) => setQuery({ sort: next === "status" ? null : next })}
        />
      </div>
      <Announce message={message} />
      <ErrorNotice error={action.error ?? comparison.error} />
      {!comparison.data ? (
        !comparison.error && <Spinner label="Loading results" />
      ) : rows.length === 0 ? (
        <EmptyState title="No results with this status" />
      ) : (
        <>
          <TriageTable
            results={rows.slice(0, shown)}
            artifacts={byResult}
            quarantined={quarantinedNow}
            onQuarantine={can("runs:write") ? toggle : undefined}
          />
          {(rows.length > shown || comparison.data.truncated) && (
            <p className="muted small">
              Showing {Math.min(shown, rows.length)} of {rows.length}
              {comparison.data.truncated ? " (the run has more results than one comparison lists)" : ""}.{" "}
              {rows.length > shown && (
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  onClick={() => setShown(shown + PAGE_ROWS)}
                >
                  Show more
                </button>
              )}
            </p>
          )}
        </>
      )}
    </div>
  );
}
