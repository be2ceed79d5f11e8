import { useState } from "react";
import { healingApi, type ModelMetrics, type ModelVersion } from "../../api-healing.ts";
import { useAppState } from "../../app-state.tsx";
import { pct } from "../../components/charts.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Announce, LoadMore, ReadOnlyNote } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { usePaged } from "../../components/usePaged.ts";

/** Metric, how to read it, and whether higher is better. */
const METRICS: { key: keyof ModelMetrics; label: string; higher: boolean; format: (v: number) => string }[] =
  [
    { key: "healedCorrectRate", label: "Healed correctly", higher: true, format: (v) => pct(v, 1) },
    { key: "wrongHealRate", label: "Wrong heals", higher: false, format: (v) => pct(v, 1) },
    { key: "top1", label: "Top-1 ranking", higher: true, format: (v) => pct(v, 1) },
    { key: "abstainAccuracy", label: "Abstained when gone", higher: true, format: (v) => pct(v, 1) },
    { key: "ece", label: "Calibration error", higher: false, format: (v) => v.toFixed(3) },
  ];

/** The organisation's model versions with held-out metrics; retrain, activate, or go back to the default. */
export function Models() {
  const { can } = useAppState();
  const models = usePaged((cursor) => healingApi.models({ cursor, limit: 20 }), []);
  const [message, setMessage] = useState("");
  const { error, busy, submit } = useAction();
  const manage = can("models:manage");
  const anyActive = models.items.some((m) => m.status === "active");

  async function run(action: () => Promise<string>) {
    setMessage("");
    await submit(async () => {
      setMessage(await action());
      models.reload();
    });
  }

  const retrain = () =>
    run(async () => {
      const outcome = await healingApi.retrain();
      if (outcome.status === "skipped")
        return `Retraining skipped: ${outcome.reason ?? "not enough feedback"}.`;
      return outcome.status === "promoted"
        ? `Version ${outcome.version} beat the active model on held-out data and is now active (${outcome.examples} examples).`
        : `Version ${outcome.version} did not beat the active model; it is kept as rejected (${outcome.examples} examples).`;
    });

  return (
    <div>
      <div className="toolbar">
        <h2>Model versions</h2>
        {manage && (
          <div className="page-actions">
            <button
              type="button"
              className="btn btn-secondary"
              disabled={busy || !anyActive}
              title={anyActive ? undefined : "The default model is already in use"}
              onClick={() =>
                run(async () => {
                  await healingApi.activateDefault();
                  return "Shifty's default model is active again.";
                })
              }
            >
              Use default model
            </button>
            <button type="button" className="btn btn-primary" disabled={busy} onClick={retrain}>
              {busy ? "Working…" : "Retrain now"}
            </button>
          </div>
        )}
      </div>
      <p className="muted small">
        Retraining fits the organisation's weights on reviewed heals and promotes the result only when it
        beats the active model on a held-out split. Without an active version, Shifty's default model heals.
      </p>
      {!manage && <ReadOnlyNote permission="models:manage" what="retraining and activating models" />}
      <Announce message={message} testId="model-message" />
      <ErrorNotice error={error} />
      <ErrorNotice error={models.error} onRetry={models.reload} />
      {!models.loaded ? (
        <Spinner label="Loading model versions" />
      ) : models.error && models.items.length === 0 ? null : models.items.length === 0 ? (
        <EmptyState title="No trained versions yet">
          Shifty's default model is healing. Approve and reject heals to give retraining something to learn
          from.
        </EmptyState>
      ) : (
        <ul className="model-list" aria-label="Model versions">
          {models.items.map((m) => (
            <ModelCard
              key={m.id}
              model={m}
              canManage={manage}
              busy={busy}
              onActivate={() =>
                run(async () => {
                  await healingApi.activate(m.id);
                  return `Version ${m.version} is now active.`;
                })
              }
            />
          ))}
        </ul>
      )}
      <LoadMore hasMore={models.hasMore} loading={models.loading} onMore={models.more} />
    </div>
  );
}

function ModelCard({
  model: m,
  canManage,
  busy,
  onActivate,
}: {
  model: ModelVersion;
  canManage: boolean;
  busy: boolean;
  onActivate: () => void;
}) {
  const { candidate, incumbent } = m.metrics;
  return (
    <li className="card model-card">
      <div className="heal-head">
        <div>
          <strong>Version {m.version}</strong>{" "}
          <span className={`badge badge-model-${m.status}`}>{m.status}</span>
          <span className="muted small block">
            trained {formatDateTime(m.createdAt)} on {m.trainingExamples} examples, tested on{" "}
            {m.holdoutExamples}
            {m.activatedAt ? ` · activated ${formatDateTime(m.activatedAt)}` : ""}
          </span>
        </div>
        {canManage && m.status !== "active" && (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={busy}
            onClick={onActivate}
            aria-label={`Activate version ${m.version}`}
          >
            Activate
          </button>
        )}
      </div>
      {m.reason && <p className="small">{m.reason}.</p>}
      {candidate && (
        <table className="metrics-table">
          <caption className="visually-hidden">Held-out metrics of version {m.version}</caption>
          <thead>
            <tr>
              <th scope="col">Held-out metric</th>
              <th scope="col">This version</th>
              <th scope="col">
                Incumbent{m.metrics.incumbentVersion ? ` (${m.metrics.incumbentVersion})` : ""}
              </th>
            </tr>
          </thead>
          <tbody>
            {METRICS.map((metric) => {
              const a = candidate[metric.key];
              const b = incumbent?.[metric.key];
              const better = b === undefined || a === b ? null : metric.higher ? a > b : a < b;
              return (
                <tr key={metric.key}>
                  <th scope="row">{metric.label}</th>
                  <td className={better === null ? "" : better ? "ok-text" : "danger-text"}>
                    {metric.format(a)}
                    {better !== null && <span className="small"> {better ? "better" : "worse"}</span>}
                  </td>
                  <td>{b === undefined ? "—" : metric.format(b)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </li>
  );
}
