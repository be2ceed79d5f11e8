import { useCallback, useState } from "react";
import { BOARD_COLUMNS, type LeadCard, PERSONA_OPTIONS, pipelineApi } from "../../api-pipeline.ts";
import { useAppState } from "../../app-state.tsx";
import { BarChart } from "../../components/charts.tsx";
import { useAsync } from "../../components/useAsync.ts";
import { applyFrames, columnCards } from "./board-state.ts";
import { useBoard } from "./useBoard.ts";

const DAY = 24 * 3600 * 1000;

/** The live lead board: columns raw → converted, filters, overrides and the experiment's posteriors. */
export function Pipeline() {
  const { permissions } = useAppState();
  const canManage = !permissions || permissions.has("leads:manage");
  const shown = useAsync(() => pipelineApi.shownExperiment(), []);
  const reloadExperiments = shown.reload;
  const onExperiment = useCallback(() => reloadExperiments(), [reloadExperiments]);
  const { state, setState, live } = useBoard(onExperiment);
  const [persona, setPersona] = useState("");
  const [minScore, setMinScore] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const override = async (card: LeadCard, action: "snooze" | "force" | "suppress") => {
    setError(null);
    try {
      const result =
        action === "snooze"
          ? await pipelineApi.snooze(card.id, Date.now() + DAY)
          : action === "force"
            ? await pipelineApi.force(card.id)
            : await pipelineApi.suppress(card.id);
      setState((s) => (s ? applyFrames(s, [{ type: "lead", card: result.card, from: card.status }]) : s));
    } catch (e) {
      setError(e instanceof Error ? e.message : "The override failed");
    }
  };

  const experiment = shown.data;
  return (
    <section className="page" data-testid="pipeline">
      <header className="page-head">
        <h1>Pipeline</h1>
        <span className={`badge ${live === "live" ? "badge-good" : ""}`} data-testid="board-live">
          {live}
        </span>
      </header>
      <div className="toolbar">
        <label>
          Persona{" "}
          <select value={persona} onChange={(e) => setPersona(e.target.value)} data-testid="filter-persona">
            <option value="">All</option>
            {PERSONA_OPTIONS.map((p) => (
              <option key={p} value={p}>
                {p.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label>
          Min score{" "}
          <input
            type="number"
            min={0}
            max={100}
            value={minScore}
            onChange={(e) => setMinScore(Number(e.target.value) || 0)}
            data-testid="filter-score"
          />
        </label>
      </div>
      {error && <p role="alert">{error}</p>}
      {!state ? (
        <p className="muted">Loading…</p>
      ) : (
        <div
          className="board"
          style={{ display: "grid", gridTemplateColumns: "repeat(5, minmax(0, 1fr))", gap: 12 }}
        >
          {BOARD_COLUMNS.map((status) => (
            <div key={status} className="card board-column" data-testid={`column-${status}`}>
              <h2 className="small">
                {status} <span data-testid={`count-${status}`}>{state.counts[status] ?? 0}</span>
              </h2>
              <ul className="plain">
                {columnCards(state, status, { persona, minScore }).map((card) => (
                  <li key={card.id} className="board-card" data-testid={`card-${card.externalId}`}>
                    <strong>{card.name ?? card.externalId}</strong>
                    <div className="muted small">
                      {card.title ?? "—"} · {card.company ?? "—"}
                    </div>
                    <div className="small">
                      score {card.score ?? "—"} · {card.persona ?? "unscored"}
                      {card.variantKey ? ` · variant ${card.variantKey}` : ""}
                    </div>
                    {canManage && (status === "raw" || status === "scored") && (
                      // Wrapping: a board column is narrow, and .row-actions alone keeps buttons on one line.
                      <div
                        className="row-actions"
                        style={{ whiteSpace: "normal", display: "flex", flexWrap: "wrap", gap: 4 }}
                      >
                        <button type="button" onClick={() => override(card, "snooze")}>
                          Snooze 1 day
                        </button>
                        {status === "scored" && (
                          <button type="button" onClick={() => override(card, "force")}>
                            Send now
                          </button>
                        )}
                        <button type="button" onClick={() => override(card, "suppress")}>
                          Suppress
                        </button>
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
      <p className="muted small">
        Snoozed {state?.counts.snoozed ?? 0} · suppressed {state?.counts.suppressed ?? 0}
      </p>
      {experiment && (
        <BarChart
          testId="experiment-posteriors"
          caption={`${experiment.name}: probability each variant is best`}
          valueLabel="P(best)"
          rows={experiment.variants.map((v) => ({
            key: v.key,
            label: v.key,
            value: v.probabilityBest,
            detail: `${v.conversions}/${v.sends} · Beta(${v.alpha}, ${v.beta})`,
          }))}
        />
      )}
    </section>
  );
}
