// Pieces the CI screens share (badges, formatting, a result row): kept apart from Ci.tsx, which imports
// every screen, so that no screen imports its parent.
import type { Artifact, GateStatus, Run, TestResult } from "../../api-ci.ts";
import { Table } from "../../components/DataTable.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Field } from "../../components/forms.tsx";
import { Link } from "../../components/Link.tsx";
import { ResultArtifacts } from "./Artifacts.tsx";

/** The branch filter of a CI list (runs, trends), read back from the form as `branch`. */
export function BranchField({ id, value, placeholder }: { id: string; value?: string; placeholder: string }) {
  return (
    <Field id={id} label="Branch">
      <input id={id} name="branch" maxLength={255} placeholder={placeholder} defaultValue={value ?? ""} />
    </Field>
  );
}

const GATE_TEXT: Record<GateStatus, string> = {
  pass: "gate passed",
  fail: "gate failed",
  warn: "gate warned",
};

export function GateBadge({ status }: { status: GateStatus }) {
  return (
    <span className={`badge badge-gate-${status}`} data-testid="gate-badge">
      <span aria-hidden="true">{status === "pass" ? "✓" : status === "fail" ? "✗" : "!"}</span>
      {GATE_TEXT[status]}
    </span>
  );
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}

export const shortSha = (sha: string | null) => (sha ? sha.slice(0, 7) : null);

/** Pass rate as the gate counts it: passed + flaky over the tests that ran. */
export function passRate(run: Run): number {
  const ran = run.total - run.skipped;
  return ran > 0 ? (run.passed + run.flaky) / ran : 1;
}

export function Counts({ run }: { run: Run }) {
  return (
    <span className="counts" data-testid="run-counts">
      <span className="count-pass">{run.passed} passed</span>
      <span className={run.failed ? "count-fail" : "muted"}>{run.failed} failed</span>
      <span className={run.flaky ? "count-flaky" : "muted"}>{run.flaky} flaky</span>
      {run.skipped > 0 && <span className="muted">{run.skipped} skipped</span>}
    </span>
  );
}

function ResultRow({
  result: t,
  showRun = false,
  artifacts,
}: {
  result: TestResult;
  showRun?: boolean;
  artifacts?: Artifact[];
}) {
  return (
    <tr>
      <th scope="row" className="test-cell">
        {showRun ? (
          <Link href={`/ci/runs/${t.runId}`}>{formatDateTime(t.createdAt)}</Link>
        ) : (
          <Link href={`/ci/tests/${t.testId}`}>{t.name}</Link>
        )}
        <span className="muted small block">
          {showRun
            ? [t.branch, t.commit?.slice(0, 7)].filter(Boolean).join(" · ") || "—"
            : (t.file ?? t.suite)}
        </span>
        {t.message && (
          <details className="failure">
            <summary>{t.message.split("\n")[0]}</summary>
            <pre>{t.stack ?? t.message}</pre>
          </details>
        )}
        {artifacts && artifacts.length > 0 && <ResultArtifacts runId={t.runId} artifacts={artifacts} />}
      </th>
      <td>
        <span className={`badge badge-result-${t.status}`}>{t.status}</span>
      </td>
      <td className="nowrap">{formatDuration(t.durationMs)}</td>
      <ResultNotes result={t} quarantined={t.quarantined} />
    </tr>
  );
}

/** A result's notes cell: retries, healed, quarantined, and a link to its failure cluster. */
export function ResultNotes({ result: t, quarantined }: { result: TestResult; quarantined: boolean }) {
  return (
    <td className="small">
      {[
        t.retries ? `${t.retries} ${t.retries === 1 ? "retry" : "retries"}` : null,
        t.healed ? "healed" : null,
        quarantined ? "quarantined" : null,
      ]
        .filter(Boolean)
        .join(" · ") || (t.clusterId ? null : <span className="muted">—</span>)}
      {t.clusterId && (
        <>
          {" "}
          <Link href={`/ci/clusters/${t.clusterId}`}>cluster</Link>
        </>
      )}
    </td>
  );
}

/**
 * Test results as a table: of one run (each row names its test) or of one test (`showRun`); `artifacts`
 * (by result id) adds a failed result's trace, screenshots and video.
 */
export function ResultTable({
  caption,
  results,
  showRun = false,
  artifacts,
}: {
  caption: string;
  results: TestResult[];
  showRun?: boolean;
  artifacts?: Map<string, Artifact[]>;
}) {
  return (
    <Table caption={caption} headers={[showRun ? "Run" : "Test", "Status", "Duration", "Notes"]}>
      {results.map((result) => (
        <ResultRow key={result.id} result={result} showRun={showRun} artifacts={artifacts?.get(result.id)} />
      ))}
    </Table>
  );
}

/** A test's name, linked to its history, above its file (or suite). */
export function TestName(test: { id: string; name: string; file: string | null; suite: string }) {
  return (
    <>
      <Link href={`/ci/tests/${test.id}`}>{test.name}</Link>
      <span className="muted small block">{test.file ?? test.suite}</span>
    </>
  );
}
