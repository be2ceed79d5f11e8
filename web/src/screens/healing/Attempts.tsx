import { type FormEvent, useId, useState } from "react";
import { type AttemptFilter, type HealAttempt, type HealOutcome, healingApi } from "../../api-healing.ts";
import { useAppState } from "../../app-state.tsx";
import { pct } from "../../components/charts.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { useProjectName } from "../../components/ProjectGate.tsx";
import { LoadMore } from "../../components/SubNav.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";
import { usePaged } from "../../components/usePaged.ts";

const OUTCOMES: { value: HealOutcome; label: string }[] = [
  { value: "healed", label: "Healed" },
  { value: "abstained", label: "Abstained" },
  { value: "unreviewed", label: "Healed, not reviewed" },
  { value: "accepted", label: "Accepted" },
  { value: "rejected", label: "Rejected" },
];

/** Every heal call, newest first, filtered by project, outcome, strategy and time (GET /v1/heal/attempts). */
export function Attempts() {
  const { projects } = useAppState();
  const [filter, setFilter] = useState<AttemptFilter>({});
  const attempts = usePaged((cursor) => healingApi.attempts({ ...filter, cursor, limit: 50 }), [filter]);
  const projectName = useProjectName();
  const id = useId();

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    const time = (name: string) => {
      const value = text(name);
      return value ? new Date(value).getTime() : undefined;
    };
    setFilter({
      projectId: text("projectId"),
      outcome: text("outcome") as HealOutcome | undefined,
      strategy: text("strategy"),
      from: time("from"),
      to: time("to"),
    });
  }

  return (
    <div>
      <h2 className="visually-hidden">Attempts</h2>
      <form className="card filters" onSubmit={apply} aria-label="Filter heal attempts">
        <div className="field">
          <label htmlFor={`${id}-project`}>Project</label>
          <select id={`${id}-project`} name="projectId" defaultValue="">
            <option value="">All projects</option>
            {projects?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select id={`${id}-outcome`} name="outcome" defaultValue="">
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-strategy`}>Strategy</label>
          <input id={`${id}-strategy`} name="strategy" maxLength={64} placeholder="ranked" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input id={`${id}-from`} name="from" type="datetime-local" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input id={`${id}-to`} name="to" type="datetime-local" />
        </div>
        <div className="filters-actions">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          <button type="reset" className="btn btn-ghost" onClick={() => setFilter({})}>
            Clear
          </button>
        </div>
      </form>

      <ErrorNotice error={attempts.error} />
      {!attempts.loaded ? (
        <Spinner label="Loading attempts" />
      ) : attempts.items.length === 0 ? (
        <EmptyState title="No attempts match these filters" />
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table>
            <caption className="visually-hidden">Heal attempts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Selector → result</th>
                <th scope="col">Outcome</th>
                <th scope="col">Confidence</th>
                <th scope="col">Strategy</th>
                <th scope="col">Project</th>
                <th scope="col">Review</th>
              </tr>
            </thead>
            <tbody>
              {attempts.items.map((a) => (
                <AttemptRow key={a.id} attempt={a} project={projectName(a.projectId)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        hasMore={attempts.hasMore}
        loading={attempts.loading}
        onMore={attempts.more}
        label="Load older attempts"
      />
    </div>
  );
}

function AttemptRow({ attempt: a, project }: { attempt: HealAttempt; project: string }) {
  const result = a.resultSelector ?? (a.resultIndex !== null ? `candidate #${a.resultIndex}` : null);
  return (
    <tr>
      <td className="nowrap">{formatDateTime(a.createdAt)}</td>
      <td className="selector-cell">
        <code>{a.selector ?? `${a.form} form`}</code>
        {result && (
          <>
            {" "}
            <span aria-hidden="true">→</span>
            <span className="visually-hidden">healed to</span> <code>{result}</code>
          </>
        )}
        <span className="muted small block">
          {a.form} · {a.candidateCount ? `${a.candidateCount} candidates · ` : ""}
          {a.latencyMs.toFixed(1)} ms · model {a.modelVersion}
        </span>
      </td>
      <td>
        <span className={`badge ${a.healed ? "badge-active" : ""}`}>{a.healed ? "healed" : "abstained"}</span>
      </td>
      <td>{pct(a.confidence)}</td>
      <td>
        <code>{a.strategy}</code>
      </td>
      <td>{project}</td>
      <td>
        {a.feedback ? (
          <span className={`badge ${a.feedback.accepted ? "badge-accepted" : "badge-revoked"}`}>
            {a.feedback.accepted ? "accepted" : "rejected"}
          </span>
        ) : (
          <span className="muted small">—</span>
        )}
      </td>
    </tr>
  );
}
