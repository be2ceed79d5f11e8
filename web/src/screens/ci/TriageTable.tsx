import type { Artifact, ComparedResult } from "../../api-ci.ts";
import { Table } from "../../components/DataTable.tsx";
import { Link } from "../../components/Link.tsx";
import { ResultArtifacts } from "./Artifacts.tsx";
import { formatDuration, ResultNotes } from "./shared.tsx";

/**
 * A run's results for triage: each test's status here beside its status in the reference run (the base
 * branch's latest run), new failures marked, and quarantine on and off from the row.
 */
export function TriageTable({
  results,
  artifacts,
  quarantined,
  onQuarantine,
}: {
  results: ComparedResult[];
  artifacts: Map<string, Artifact[]>;
  /** Whether each test is quarantined now (after changes made on this screen). */
  quarantined: (r: ComparedResult) => boolean;
  /** Set when the user may quarantine: toggles the test's quarantine. */
  onQuarantine?: (r: ComparedResult) => void;
}) {
  return (
    <Table
      caption="Test results of this run"
      headers={["Test", "Status", "Base", "Duration", "Notes"]}
      actions={Boolean(onQuarantine)}
      className="triage-table"
    >
      {results.map((t) => {
        const inQuarantine = quarantined(t);
        return (
          <tr key={t.id} data-testid="triage-row" data-status={t.status} data-new={t.newFailure || undefined}>
            <th scope="row" className="test-cell">
              <Link href={`/ci/tests/${t.testId}`}>{t.name}</Link>
              {t.newFailure && (
                <span className="badge badge-new" data-testid="new-failure">
                  new failure
                </span>
              )}
              <span className="muted small block">{t.file ?? t.suite}</span>
              {t.message && (
                <details className="failure">
                  <summary>{t.message.split("\n")[0]}</summary>
                  <pre>{t.stack ?? t.message}</pre>
                </details>
              )}
              {(artifacts.get(t.id)?.length ?? 0) > 0 && (
                <ResultArtifacts runId={t.runId} artifacts={artifacts.get(t.id)!} />
              )}
            </th>
            <td>
              <span className={`badge badge-result-${t.status}`}>{t.status}</span>
            </td>
            <td data-testid="base-status">
              {t.base ? (
                <span className={`badge badge-result-${t.base.status}`}>{t.base.status}</span>
              ) : (
                <span className="muted small">not run</span>
              )}
            </td>
            <td className="nowrap">
              {formatDuration(t.durationMs)}
              {t.base && (
                <span className="muted small block" title="Duration in the reference run">
                  base {formatDuration(t.base.durationMs)}
                </span>
              )}
            </td>
            <ResultNotes result={t} quarantined={inQuarantine} />
            {onQuarantine && (
              <td className="row-actions">
                <button
                  type="button"
                  className={`btn btn-small ${inQuarantine ? "btn-secondary" : "btn-ghost"}`}
                  aria-pressed={inQuarantine}
                  aria-label={`Quarantine ${t.name}`}
                  onClick={() => onQuarantine(t)}
                >
                  {inQuarantine ? "Release" : "Quarantine"}
                </button>
              </td>
            )}
          </tr>
        );
      })}
    </Table>
  );
}
