import { useState } from "react";
import { type CiTest, ciApi } from "../../api-ci.ts";
import { useAppState } from "../../app-state.tsx";
import { pct, WilsonBar } from "../../components/charts.tsx";
import { ErrorNotice } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { PagedTable } from "../../components/PagedView.tsx";
import { Announce, ReadOnlyNote } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { usePaged } from "../../components/usePaged.ts";
import { TestName } from "./shared.tsx";

/** Flaky tests with failure rate, its 95% Wilson interval and sample size; quarantine on and off. */
export function Flaky({ projectId }: { projectId: string }) {
  const { can } = useAppState();
  const tests = usePaged((cursor) => ciApi.flaky(projectId, { cursor, limit: 50 }), [projectId]);
  const [changed, setChanged] = useState<Record<string, CiTest>>({});
  const [message, setMessage] = useState("");
  const action = useAction();
  const writable = can("runs:write");

  function toggle(test: CiTest) {
    return action.run(async () => {
      const next = await ciApi.quarantine(test.id, !test.quarantined);
      setChanged((map) => ({ ...map, [test.id]: next }));
      setMessage(
        next.quarantined
          ? `${test.name} is quarantined: its failures no longer fail the gate.`
          : `${test.name} is released from quarantine.`,
      );
    });
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
      <ErrorNotice error={action.error} />
      <PagedTable
        paged={{ ...tests, items: tests.items.map((test) => changed[test.id] ?? test) }}
        loadingLabel="Loading flaky tests"
        emptyTitle="No flaky tests"
        empty="Nice. Tests that flip between pass and fail will show up here."
        caption="Flaky tests"
        columns={[
          { header: "Test", rowHeader: true, className: "test-cell", cell: TestName },
          { header: "Failure rate", cell: (t) => <strong>{pct(t.stats.failureRate, 1)}</strong> },
          {
            header: "95% interval",
            className: "wilson-cell",
            cell: (t) => (
              <>
                <WilsonBar rate={t.stats.failureRate} low={t.stats.wilson.low} high={t.stats.wilson.high} />
                <span className="small muted">
                  {pct(t.stats.wilson.low, 1)} – {pct(t.stats.wilson.high, 1)}
                </span>
              </>
            ),
          },
          {
            header: "Sample",
            cell: (t) => (
              <>
                {t.stats.failures} of {t.stats.sampleSize}
                {t.stats.lastFlipAt && (
                  <span className="muted small block">flipped {formatRelative(t.stats.lastFlipAt)}</span>
                )}
              </>
            ),
          },
          {
            header: "Quarantine",
            className: "row-actions",
            cell: (t) => (
              <>
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
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
