import { useState } from "react";
import { type CiTest, ciApi } from "../../api-ci.ts";
import { useAppState } from "../../app-state.tsx";
import { pct, WilsonBar } from "../../components/charts.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { Announce, LoadMore, ReadOnlyNote } from "../../components/SubNav.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";
import { usePaged } from "../../components/usePaged.ts";

/** Flaky tests with failure rate, its 95% Wilson interval and sample size; quarantine on and off. */
export function Flaky({ projectId }: { projectId: string }) {
  const { can } = useAppState();
  const tests = usePaged((cursor) => ciApi.flaky(projectId, { cursor, limit: 50 }), [projectId]);
  const [changed, setChanged] = useState<Record<string, CiTest>>({});
  const [message, setMessage] = useState("");
  const [error, setError] = useState<unknown>(null);
  const writable = can("runs:write");

  async function toggle(test: CiTest) {
    setError(null);
    try {
      const next = await ciApi.quarantine(test.id, !test.quarantined);
      setChanged((map) => ({ ...map, [test.id]: next }));
      setMessage(
        next.quarantined
          ? `${test.name} is quarantined: its failures no longer fail the gate.`
          : `${test.name} is released from quarantine.`,
      );
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <div>
      <h2>Flaky tests</h2>
      <p className="muted small">
        A test is flaky when it passed on retry, or both passed and failed on the same commit, within its last
        50 results (14 days). The interval is the 95% Wilson score interval of the failure rate.
      </p>
      {!writable && <ReadOnlyNote permission="runs:write" what="quarantining tests" />}
      <Announce message={message} />
      <ErrorNotice error={error} />
      <ErrorNotice error={tests.error} />
      {!tests.loaded ? (
        <Spinner label="Loading flaky tests" />
      ) : tests.items.length === 0 ? (
        <EmptyState title="No flaky tests">
          Nice. Tests that flip between pass and fail will show up here.
        </EmptyState>
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table>
            <caption className="visually-hidden">Flaky tests</caption>
            <thead>
              <tr>
                <th scope="col">Test</th>
                <th scope="col">Failure rate</th>
                <th scope="col">95% interval</th>
                <th scope="col">Sample</th>
                <th scope="col">Quarantine</th>
              </tr>
            </thead>
            <tbody>
              {tests.items.map((original) => {
                const t = changed[original.id] ?? original;
                return (
                  <tr key={t.id}>
                    <th scope="row" className="test-cell">
                      <Link href={`/ci/tests/${t.id}`}>{t.name}</Link>
                      <span className="muted small block">{t.file ?? t.suite}</span>
                    </th>
                    <td>
                      <strong>{pct(t.stats.failureRate, 1)}</strong>
                    </td>
                    <td className="wilson-cell">
                      <WilsonBar
                        rate={t.stats.failureRate}
                        low={t.stats.wilson.low}
                        high={t.stats.wilson.high}
                      />
                      <span className="small muted">
                        {pct(t.stats.wilson.low, 1)} – {pct(t.stats.wilson.high, 1)}
                      </span>
                    </td>
                    <td>
                      {t.stats.failures} of {t.stats.sampleSize}
                      {t.stats.lastFlipAt && (
                        <span className="muted small block">
                          flipped {formatRelative(t.stats.lastFlipAt)}
                        </span>
                      )}
                    </td>
                    <td className="row-actions">
                      {t.quarantined && (
                        <span className="badge badge-pending">
                          quarantined{t.quarantineReason === "auto" ? " (auto)" : ""}
                        </span>
                      )}{" "}
                      {writable && (
                        <button
                          type="button"
                          className={`btn btn-small ${t.quarantined ? "btn-secondary" : "btn-danger"}`}
                          aria-pressed={t.quarantined}
                          aria-label={`Quarantine ${t.name}`}
                          onClick={() => toggle(t)}
                        >
                          {t.quarantined ? "Release" : "Quarantine"}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore hasMore={tests.hasMore} loading={tests.loading} onMore={tests.more} />
    </div>
  );
}
